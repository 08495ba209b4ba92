//! Why an emulator did not start.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Why [`MockServer::start`](crate::MockServer::start) failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// A setting cannot work, such as an empty `merchant_id`.
    Config(String),
    /// The listening socket could not be opened, for example because the port is taken.
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the system said.
        source: io::Error,
    },
    /// The data file is unreadable, corrupt, or cannot be written (the seed file's customers
    /// included). The emulator never starts empty over a file it could not read.
    DataFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The seed file ([`Config::seed`](crate::Config::seed)) is unreadable, or an entry is not
    /// a customer: the problem names the entry's index and JSON pointer, never a value.
    Seed {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Config(problem) => write!(f, "invalid configuration: {problem}"),
            StartError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            StartError::DataFile { path, problem } => {
                write!(f, "data file {}: {problem}", path.display())
            }
            StartError::Seed { path, problem } => {
                write!(f, "seed file {}: {problem}", path.display())
            }
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Bind { source, .. } => Some(source),
            _ => None,
        }
    }
}
