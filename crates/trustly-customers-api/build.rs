//! Stops a build inside the workspace when the spec changed after `src/generated.rs` was
//! generated from it, with one line saying what to run. Outside the workspace (a packaged
//! crate) there is no spec beside the crate and it does nothing.

include!("build/stale.rs");

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build/stale.rs");
    println!("cargo::rerun-if-changed=src/generated.rs");
    let spec = spec_path(&manifest_dir);
    // Watched only where it exists: cargo reruns a script whose watched file is missing on
    // every build.
    if spec.exists() {
        println!("cargo::rerun-if-changed={}", spec.display());
    }
    match staleness(&manifest_dir) {
        Ok(None) => {}
        Ok(Some(message)) => println!("cargo::error={message}"),
        Err(message) => println!("cargo::error={message}"),
    }
}
