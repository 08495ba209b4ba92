// The build-time half of `cargo xtask codegen --check`: is `src/generated.rs` what the spec
// beside it generates? Included by `build.rs`, and by the workspace tests that check it.
//
// The generated file's header names the SHA-256 of the spec it was generated from. Inside the
// workspace the spec is at `../../openapi/customers.yaml`; a packaged crate has no spec beside
// it, and then there is nothing to check.
//
// SHA-256 is computed here rather than with a hashing crate: a build dependency would be
// compiled into every application's first build for one hash of a 60 KB file. A wrong
// digest cannot go unnoticed: every build in the workspace compares it with the one the
// xtask's `sha2` wrote into the header.

use std::path::{Path, PathBuf};

/// The one line a build stops with when the spec changed after the code was generated.
pub const STALE_MESSAGE: &str =
    "the spec changed since the code was generated: run `cargo xtask codegen`";

/// The spec a crate at `manifest_dir` was generated from, inside the workspace.
pub fn spec_path(manifest_dir: &Path) -> PathBuf {
    manifest_dir.join("../../openapi/customers.yaml")
}

/// What the build finds: `Ok(None)` when the code is fresh or there is no spec to compare with,
/// `Ok(Some(STALE_MESSAGE))` when the spec's hash is not the header's, and `Err` when the
/// generated file cannot be read or names no hash.
pub fn staleness(manifest_dir: &Path) -> Result<Option<&'static str>, String> {
    let Ok(spec) = std::fs::read(spec_path(manifest_dir)) else {
        return Ok(None);
    };
    let generated_path = manifest_dir.join("src/generated.rs");
    let generated = std::fs::read_to_string(&generated_path)
        .map_err(|e| format!("{}: {e}", generated_path.display()))?;
    let recorded = header_hash(&generated).ok_or_else(|| {
        format!(
            "{}: the header names no `sha256` of the spec: run `cargo xtask codegen`",
            generated_path.display()
        )
    })?;
    Ok((sha256_hex(&spec) != recorded).then_some(STALE_MESSAGE))
}

/// The spec's hash in a generated file's header: `(sha256 <64 hex digits>)` in its comment
/// lines before the code.
pub fn header_hash(generated: &str) -> Option<&str> {
    generated
        .lines()
        .take_while(|line| line.starts_with("//"))
        .find_map(|line| {
            let rest = &line[line.find("(sha256 ")? + "(sha256 ".len()..];
            let hex = rest.get(..64)?;
            (rest[64..].starts_with(')') && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                .then_some(hex)
        })
}

/// SHA-256 (FIPS 180-4) of `data`, as lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    // The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    // The first 32 bits of the fractional parts of the square roots of the first 8 primes.
    let mut state: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];

    // Padding: a 1 bit, zeros up to 8 bytes short of a 64-byte block, the length in bits.
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&(data.len() as u64).wrapping_mul(8).to_be_bytes());

    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = state;
        for (k, w) in K.iter().zip(w) {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(*k)
                .wrapping_add(w);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = s.wrapping_add(v);
        }
    }
    state.iter().map(|word| format!("{word:08x}")).collect()
}
