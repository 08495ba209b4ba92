//! `trustly-customers-mock`: the emulator as a program.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use trustly_customers_mock::{
    Config, DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, DEFAULT_MERCHANT_ID, MockServer,
};

/// Exit code of a command line that cannot be understood.
const EXIT_USAGE: u8 = 2;
/// Exit code of a start that failed (port taken, corrupt data file, file in use).
const EXIT_START: u8 = 1;
/// Exit code of a stop that could not write every change to the data file.
const EXIT_UNSAVED: u8 = 3;

const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

const HELP: &str = "\
trustly-customers-mock: a stateful local emulator of Trustly's (North America) Customers API

USAGE:
    trustly-customers-mock [--listen ADDR] [--access-id ID --access-key KEY]
                           [--merchant-id ID] [--data FILE]

OPTIONS:
    --listen ADDR       address to listen on [default: 127.0.0.1:8080]; port 0 picks a free one
    --access-id ID      HTTP Basic username to accept [default: local-access-id]
    --access-key KEY    HTTP Basic password to accept [default: local-access-key]
                        (--access-id and --access-key go together)
    --merchant-id ID    merchantId set on every customer [default: 1002463580]
    --data FILE         keep customers in FILE across restarts (a SQLite database; an
                        earlier JSON data file is migrated, and kept as FILE.v1.bak)
    -h, --help          print this help

On start it prints the base URL (like http://127.0.0.1:8080/api/v1) on a line of its own.
Ctrl-C or SIGTERM stops it after the requests under way are answered.

EXIT CODES:
    0  stopped cleanly    1  could not start    2  invalid command line
";

/// jemalloc with one arena for every thread (`JEMALLOC_SYS_WITH_MALLOC_CONF` in
/// `.cargo/config.toml`): the records a restart loads, and their replacements that the worker
/// threads allocate, share one heap, so memory freed by updates is reused rather than kept
/// (why: this crate's `Cargo.toml`).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let config = match parse_args() {
        Ok(Some(config)) => config,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("trustly-customers-mock: {message}\n(see --help)");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("trustly-customers-mock: cannot start the runtime: {e}");
            return ExitCode::from(EXIT_START);
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: Config) -> ExitCode {
    let server = match MockServer::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("trustly-customers-mock: {e}");
            return ExitCode::from(EXIT_START);
        }
    };
    println!("{}", server.base_url());
    eprintln!(
        "trustly-customers-mock: listening; HTTP Basic user {:?}; Ctrl-C to stop",
        server.access_id()
    );
    stop_signal().await;
    eprintln!("trustly-customers-mock: stopping");
    match server.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("trustly-customers-mock: {e}");
            ExitCode::from(EXIT_UNSAVED)
        }
    }
}

/// Ctrl-C, or SIGTERM on Unix (what `kill` and container runtimes send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The configuration from the command line; `None` for `--help`.
fn parse_args() -> Result<Option<Config>, String> {
    use lexopt::prelude::*;

    let mut listen: SocketAddr = DEFAULT_LISTEN.parse().map_err(|_| "bad default")?;
    let mut access_id = None;
    let mut access_key = None;
    let mut merchant_id = DEFAULT_MERCHANT_ID.to_owned();
    let mut data = None;
    let mut parser = lexopt::Parser::from_env();
    let text = |value: std::ffi::OsString, what: &str| {
        value
            .into_string()
            .map_err(|_| format!("{what} is not valid UTF-8"))
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Long("listen") => {
                let value = text(parser.value().map_err(|e| e.to_string())?, "--listen")?;
                listen = value.parse().map_err(|_| {
                    format!("--listen: {value:?} is not an address like 127.0.0.1:8080")
                })?;
            }
            Long("access-id") => {
                access_id = Some(text(
                    parser.value().map_err(|e| e.to_string())?,
                    "--access-id",
                )?)
            }
            // The value is a secret: errors never repeat it.
            Long("access-key") => {
                access_key = Some(text(
                    parser.value().map_err(|e| e.to_string())?,
                    "--access-key",
                )?)
            }
            Long("merchant-id") => {
                merchant_id = text(parser.value().map_err(|e| e.to_string())?, "--merchant-id")?
            }
            Long("data") => data = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?)),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    let (access_id, access_key) = match (access_id, access_key) {
        (None, None) => (DEFAULT_ACCESS_ID.to_owned(), DEFAULT_ACCESS_KEY.to_owned()),
        (Some(id), Some(key)) => (id, key),
        _ => return Err("--access-id and --access-key must be given together".into()),
    };
    if access_id.is_empty() || access_key.is_empty() {
        return Err("--access-id and --access-key must not be empty".into());
    }
    if merchant_id.is_empty() {
        return Err("--merchant-id must not be empty".into());
    }
    Ok(Some(Config {
        listen,
        access_id,
        access_key,
        merchant_id,
        data,
        ..Config::default()
    }))
}
