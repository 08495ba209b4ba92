//! `trustly-customers`: look up and fix customer records of Trustly's (North America) Customers
//! API from a terminal or a script. Run with `--help` for the commands and exit codes.
//!
//! The program is the crate's library (`trustly_customers_cli`), run with the process's
//! arguments and environment.

fn main() -> std::process::ExitCode {
    trustly_customers_cli::main()
}
