//! The generated crate's build script (`crates/trustly-customers-api/build.rs`): a build inside
//! the workspace stops when the spec changed after the code was generated, and does nothing
//! where there is no spec beside the crate. (`.ci/drill.sh` sees a real build stop.)

// The build script's own file, included as the build script includes it: a build script is
// not a target tests can reach.
#[path = "../build/stale.rs"]
#[allow(dead_code, unreachable_pub)]
mod stale;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn api_crate() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

/// A workspace-shaped scratch directory: `crates/api/src/generated.rs` and, if given,
/// `openapi/customers.yaml`. Returns the crate's directory.
fn scratch(name: &str, generated: &str, spec: Option<&[u8]>) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("stale-build")
        .join(name);
    let _ = std::fs::remove_dir_all(&root);
    let krate = root.join("crates/api");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(krate.join("src/generated.rs"), generated).unwrap();
    if let Some(spec) = spec {
        std::fs::create_dir_all(root.join("openapi")).unwrap();
        std::fs::write(root.join("openapi/customers.yaml"), spec).unwrap();
    }
    krate
}

fn real_generated() -> String {
    std::fs::read_to_string(api_crate().join("src/generated.rs")).unwrap()
}

fn real_spec() -> Vec<u8> {
    std::fs::read(stale::spec_path(&api_crate())).unwrap()
}

#[test]
fn the_checked_in_code_is_fresh() {
    assert_eq!(stale::staleness(&api_crate()), Ok(None));
}

#[test]
fn an_edited_spec_stops_the_build_with_one_line() {
    let mut spec = real_spec();
    spec.extend_from_slice(b"# one more line\n");
    let krate = scratch("edited", &real_generated(), Some(&spec));
    assert_eq!(
        stale::staleness(&krate),
        Ok(Some(
            "the spec changed since the code was generated: run `cargo xtask codegen`"
        ))
    );
    assert!(!stale::STALE_MESSAGE.contains('\n'));
}

#[test]
fn a_single_changed_byte_is_seen() {
    let mut spec = real_spec();
    let middle = spec.len() / 2;
    spec[middle] ^= 1;
    let krate = scratch("one-byte", &real_generated(), Some(&spec));
    assert_eq!(stale::staleness(&krate), Ok(Some(stale::STALE_MESSAGE)));
}

#[test]
fn the_same_spec_in_another_checkout_is_fresh() {
    let krate = scratch("same", &real_generated(), Some(&real_spec()));
    assert_eq!(stale::staleness(&krate), Ok(None));
}

#[test]
fn without_a_spec_beside_the_crate_nothing_is_checked() {
    // A packaged crate: no workspace around it, and a header that may name any spec.
    let krate = scratch("packaged", "// no header at all\n", None);
    assert_eq!(stale::staleness(&krate), Ok(None));
}

#[test]
fn a_generated_file_without_the_hash_is_an_error_naming_it() {
    let krate = scratch(
        "no-hash",
        "// @generated\nfn main() {}\n",
        Some(&real_spec()),
    );
    let error = stale::staleness(&krate).unwrap_err();
    assert!(error.contains("generated.rs"), "{error}");
    assert!(error.contains("sha256"), "{error}");
}

#[test]
fn the_header_hash_is_read_only_from_the_header() {
    let hex = "ab".repeat(32);
    assert_eq!(
        stale::header_hash(&format!("// spec: x (sha256 {hex})\nfn f() {{}}\n")),
        Some(hex.as_str())
    );
    // After the header, in the code, a look-alike is not the header's.
    assert_eq!(
        stale::header_hash(&format!("// header\nconst S: &str = \"(sha256 {hex})\";\n")),
        None
    );
    // Not 64 hex digits, or not closed where 64 digits end.
    assert_eq!(
        stale::header_hash(&format!("// (sha256 {})\n", &hex[..63])),
        None
    );
    assert_eq!(stale::header_hash(&format!("// (sha256 {hex}0)\n")), None);
    assert_eq!(
        stale::header_hash(&format!("// (sha256 {}zz)\n", &hex[..62])),
        None
    );
}

#[test]
fn the_digest_is_sha256_at_every_padding_boundary() {
    // Lengths around the 55/56/64-byte edges of one and several blocks, and the spec itself.
    let mut inputs: Vec<Vec<u8>> = (0..=200usize)
        .map(|len| (0..len).map(|i| (i * 31 + len) as u8).collect())
        .collect();
    inputs.push(real_spec());
    inputs.push(vec![0xff; 1_000_003]);
    for input in inputs {
        let expected: String = Sha256::digest(&input)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            stale::sha256_hex(&input),
            expected,
            "length {}",
            input.len()
        );
    }
}

#[test]
fn the_digest_matches_the_published_test_vectors() {
    assert_eq!(
        stale::sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        stale::sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        stale::sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
}
