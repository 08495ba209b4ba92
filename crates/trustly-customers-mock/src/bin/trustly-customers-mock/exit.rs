//! The binary's exit codes: what each means, for `--help` and for scripts, which branch on
//! them, so they are stable.

use std::process::ExitCode;

/// How the emulator ended, as its exit code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Stopped by Ctrl-C or SIGTERM, with every change in the data file.
    Stopped = 0,
    /// Did not start: the port, the data file or the runtime could not be had.
    NotStarted = 1,
    /// The command line (or an environment variable standing for an option) is invalid.
    Usage = 2,
    /// Stopped, but some changes could not be written to the data file.
    Unsaved = 3,
    /// Did not start: the seed file is bad input (unreadable, not the list envelope, or a
    /// customer in it invalid), which the person who wrote it fixes, unlike a port or a data
    /// file the machine could not give.
    BadSeed = 4,
}

impl Exit {
    /// Every exit code, in order, as `--help` lists them.
    pub(crate) const ALL: [Exit; 5] = [
        Exit::Stopped,
        Exit::NotStarted,
        Exit::Usage,
        Exit::Unsaved,
        Exit::BadSeed,
    ];

    /// What the code means, in a few words.
    pub(crate) fn meaning(self) -> &'static str {
        match self {
            Exit::Stopped => "stopped cleanly",
            Exit::NotStarted => {
                "could not start (port taken; data file unreadable, corrupt, unwritable, or in \
                 use by another emulator)"
            }
            Exit::Usage => "invalid command line",
            Exit::Unsaved => {
                "stopped without writing every change to the data file (after three tries)"
            }
            Exit::BadSeed => {
                "bad seed file (did not start): unreadable, not a list of customers, or a \
                 customer in it invalid"
            }
        }
    }

    /// The process's exit code.
    pub(crate) fn code(self) -> ExitCode {
        ExitCode::from(self as u8)
    }
}
