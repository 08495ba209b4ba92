//! Failures: the exit code of each kind (scripts branch on these, so they are stable), and the
//! one line printed for it, from the client's errors and from a command line clap refused.

use std::fmt;
use std::process::ExitCode;

use trustly_customers::{Error, ErrorKind, Redactor};

/// Why the command failed, as the exit code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The command line or the input is wrong; nothing was sent.
    Usage = 2,
    /// The customer does not exist.
    NotFound = 3,
    /// The API refused the credentials.
    Unauthorized = 4,
    /// The API rejected the request (a 4xx other than 401 and 404).
    Rejected = 5,
    /// The server failed or was unavailable after retries, or its answer could not be read.
    Server = 6,
    /// No answer in time, or the connection failed.
    Transport = 7,
}

impl Exit {
    /// The exit code for a client error.
    pub(crate) fn of(error: &Error) -> Exit {
        match error.kind() {
            ErrorKind::NotFound => Exit::NotFound,
            ErrorKind::Unauthorized => Exit::Unauthorized,
            ErrorKind::Rejected => Exit::Rejected,
            ErrorKind::Server | ErrorKind::Decode => Exit::Server,
            ErrorKind::Timeout | ErrorKind::Transport => Exit::Transport,
            // A configuration the client refuses (say, credentials over plain http) is the
            // user's to fix, like a bad flag. New kinds land here until they are mapped.
            _ => Exit::Usage,
        }
    }

    pub(crate) fn code(self) -> ExitCode {
        ExitCode::from(self as u8)
    }
}

/// A failed command: the exit code and the one line printed on stderr.
#[derive(Debug)]
pub struct Failure {
    pub(crate) exit: Exit,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Usage,
            message: message.into(),
        }
    }

    /// This failure with its line passed through the client's redactor, as every line printed
    /// once there is a client: whatever a command adds to the client's (already redacted)
    /// error, no credential is printed.
    pub(crate) fn redacted(mut self, redactor: &Redactor) -> Failure {
        self.message = redactor.redact(&self.message).into_owned();
        self
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        // The client's Display is one line with the status and Trustly's error codes, and no
        // credentials or personal data. The operator also needs the API's own words, which the
        // client keeps out of Display (a library's errors end up in logs): added here, on the
        // terminal of the person who made the request, with line breaks flattened. The client
        // has removed its credentials from them, and `run.rs` passes the whole line through
        // its redactor again.
        let mut message = error.to_string();
        for detail in error.api_errors() {
            let text = detail
                .message
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !text.is_empty() {
                message.push_str(&format!("; {}: {text}", detail.code));
            }
        }
        Failure {
            exit: Exit::of(&error),
            message,
        }
    }
}

impl From<clap::Error> for Failure {
    /// A command line that does not parse: a usage failure.
    fn from(error: clap::Error) -> Failure {
        Failure::usage(one_line(&error))
    }
}

/// A clap error on one line, as every failure of this program is reported.
fn one_line(error: &clap::Error) -> String {
    let text = error.render().to_string();
    let first = text.split("\n\n").next().unwrap_or_default();
    let first = first.trim().strip_prefix("error: ").unwrap_or(first.trim());
    format!(
        "{} (try --help)",
        first.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
