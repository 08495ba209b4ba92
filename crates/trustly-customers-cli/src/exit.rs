//! Failures: the exit code of each kind (scripts branch on these, so they are stable), and the
//! one line printed for it, from the client's errors and from a command line clap refused.

use std::fmt;
use std::process::ExitCode;

use trustly_customers::{Environment, Error, ErrorKind, Redactor};

use crate::sources::{ACCESS_ID, ACCESS_KEY, ServerSource};

/// Why the command failed, as the exit code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The command line or the input is wrong (nothing was sent), or the configuration: no
    /// credentials, or a server URL the API is not under (a 404 without Trustly's error body).
    Usage = 2,
    /// The customer does not exist, and nothing else: a script branches on it.
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
            // A path the server does not serve: the server's URL is wrong, not the customer
            // missing (exit 3 says only that).
            ErrorKind::NoSuchEndpoint => Exit::Usage,
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
    /// The client's error this failure is, when it is one: its line is made again once the
    /// command and the server's source are known ([`Failure::in_context`]).
    error: Option<Error>,
}

impl Failure {
    pub(crate) fn new(exit: Exit, message: impl Into<String>) -> Failure {
        Failure {
            exit,
            message: message.into(),
            error: None,
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Exit::Usage, message)
    }

    /// This failure as the person who typed `command` reads it: a client's error names the
    /// command (not the client's method), where the request went, and what to check: the
    /// source of the server's URL for a failure to reach it or a path it does not serve, the
    /// credentials' variables for a refusal.
    pub(crate) fn in_context(
        mut self,
        command: &str,
        base_url: &str,
        server: ServerSource,
    ) -> Failure {
        let Some(error) = &self.error else {
            return self;
        };
        let mut line = error.report(Some(command)).to_string();
        match error.kind() {
            ErrorKind::Transport | ErrorKind::Timeout => {
                line.push_str(&format!("; the server's URL is from {server}"));
            }
            ErrorKind::Unauthorized => line.push_str(&format!(
                "; the server (its URL from {server}) refused the credentials read from \
                 {ACCESS_ID} and {ACCESS_KEY}"
            )),
            ErrorKind::NoSuchEndpoint => {
                let api_path = api_path();
                let base = base_url.trim_end_matches('/');
                line.push_str(&format!(
                    "; the answer is not Trustly's error body, so the server serves no such \
                     path: its URL {base} (from {server}) is wrong"
                ));
                if !base.ends_with(&api_path) {
                    line.push_str(&format!(
                        "; the API is under {api_path}: try {base}{api_path}"
                    ));
                }
            }
            _ => {}
        }
        self.message = line;
        self
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
        // The client's report is one line with the status, Trustly's error codes and the API's
        // own words, which the client keeps out of Display (a library's errors end up in
        // logs): shown here, on the terminal of the person who made the request. The client
        // has removed its credentials from them, and `run.rs` passes the whole line through
        // its redactor again.
        Failure {
            exit: Exit::of(&error),
            message: error.report(error.operation()).to_string(),
            error: Some(error),
        }
    }
}

impl From<clap::Error> for Failure {
    /// A command line that does not parse: a usage failure.
    fn from(error: clap::Error) -> Failure {
        Failure::usage(one_line(&error))
    }
}

/// The path the API's operations are under on Trustly's servers (`/api/v1`), from the spec's
/// first server.
fn api_path() -> String {
    let sandbox = Environment::default();
    let url = sandbox.base_url();
    let path = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or("/");
    path.trim_end_matches('/').to_owned()
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
