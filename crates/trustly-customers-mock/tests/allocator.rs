//! The emulator binary's allocator: jemalloc with one arena. The setting is built in from
//! `.cargo/config.toml`, outside the code, so this asks the built binary itself: jemalloc
//! prints its settings at exit when told to, and no other allocator would print them.

#![cfg(not(target_env = "msvc"))]

use std::process::Command;

#[test]
fn the_binary_runs_jemalloc_with_one_arena() {
    let output = Command::new(env!("CARGO_BIN_EXE_trustly-customers-mock"))
        .arg("--help")
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .expect("the emulator binary runs");
    assert!(output.status.success(), "{output:?}");
    let stats = String::from_utf8_lossy(&output.stderr);
    assert!(
        stats.lines().any(|line| line.trim() == "opt.narenas: 1"),
        "jemalloc's settings do not say one arena:\n{}",
        stats
            .lines()
            .filter(|line| line.contains("jemalloc") || line.contains("narenas"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
