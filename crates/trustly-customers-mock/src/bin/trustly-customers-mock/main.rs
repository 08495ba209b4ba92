//! `trustly-customers-mock`: the emulator as a program. Run with `--help` for its options,
//! their environment variables and its exit codes.

mod command_line;
mod exit;

use std::process::ExitCode;

use exit::Exit;
use trustly_customers_mock::{MockServer, StartError};

use crate::command_line::NAME;

/// jemalloc with one arena for every thread (`JEMALLOC_SYS_WITH_MALLOC_CONF` in
/// `.cargo/config.toml`): the records a restart loads, and their replacements that the worker
/// threads allocate, share one heap, so memory freed by updates is reused rather than kept
/// (why: this crate's `Cargo.toml`).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let matches = match command_line::command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return Exit::Stopped.code();
        }
        Err(e) => return fail(Exit::Usage, &command_line::one_line(&e)),
    };
    let config = match command_line::config(&matches) {
        Ok(config) => config,
        Err(message) => return fail(Exit::Usage, &format!("{message} (try --help)")),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(Exit::NotStarted, &format!("cannot start the runtime: {e}")),
    };
    runtime.block_on(run(config))
}

async fn run(config: trustly_customers_mock::Config) -> ExitCode {
    let server = match MockServer::start(config).await {
        Ok(server) => server,
        // Every setting came from the command line: one that cannot work is a usage error.
        Err(e @ StartError::Config(_)) => return fail(Exit::Usage, &format!("{e} (try --help)")),
        // The seed file is input someone wrote: a code of its own, so a script tells it from
        // a port or a data file the machine could not give.
        Err(e @ StartError::Seed { .. }) => return fail(Exit::BadSeed, &e.to_string()),
        Err(e) => return fail(Exit::NotStarted, &e.to_string()),
    };
    // Listening for the signals before the URL is printed: a SIGTERM sent as soon as the URL is
    // read must stop the emulator cleanly, not kill it with the default action.
    let stop = stop_signal();
    println!("{}", server.base_url());
    eprintln!(
        "{NAME}: listening; HTTP Basic user {:?}; Ctrl-C to stop",
        server.access_id()
    );
    stop.await;
    eprintln!("{NAME}: stopping");
    match server.shutdown().await {
        Ok(()) => Exit::Stopped.code(),
        Err(e) => fail(Exit::Unsaved, &e.to_string()),
    }
}

/// Says why on stderr, on one line after the program's name, and exits with `exit`'s code.
fn fail(exit: Exit, message: &str) -> ExitCode {
    eprintln!("{NAME}: {message}");
    exit.code()
}

/// Ctrl-C, or SIGTERM on Unix (what `kill` and container runtimes send): listened for from
/// the call on (on Unix), and awaited by the future it returns.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (term, interrupt) {
                (Ok(mut term), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
