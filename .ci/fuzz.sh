#!/usr/bin/env bash
# The fuzz targets (fuzz/, see fuzz/README.md): builds every one, then replays its committed
# corpus and the inputs it once failed on, so that a target that no longer builds, or an input
# that fails again, stops CI in seconds. Fuzzing itself (ten minutes a target) is run by hand,
# as fuzz/README.md says.
#
# cargo-fuzz is pinned and installed from crates.io into a per-user cache outside the checkout
# (each fresh clone would compile it again: minutes), reused while it holds that version; its
# builds go to the same cache, so that the dependencies, instrumented, are compiled once per
# machine rather than once per clone. CARGO_FUZZ_ROOT and CARGO_FUZZ_TARGET_DIR choose other
# places. The targets need the nightly toolchain (the coverage instrumentation is unstable).
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_VERSION=0.13.2
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/trustly-customers
ROOT=${CARGO_FUZZ_ROOT:-$CACHE/cargo-fuzz-$FUZZ_VERSION}
TARGET_DIR=${CARGO_FUZZ_TARGET_DIR:-$CACHE/fuzz-target}
BIN=$ROOT/bin/cargo-fuzz

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "the fuzz targets need the nightly toolchain: rustup toolchain install nightly" >&2
  exit 1
fi
if [ "$("$BIN" --version 2>/dev/null)" != "cargo-fuzz $FUZZ_VERSION" ]; then
  echo "== installing cargo-fuzz $FUZZ_VERSION into $ROOT"
  cargo install --quiet --locked --root "$ROOT" cargo-fuzz --version "$FUZZ_VERSION"
fi
export PATH="$ROOT/bin:$PATH"

# fuzz/Cargo.lock must be current, as Cargo.lock is for the workspace (`--locked`): cargo-fuzz
# has no such flag, so the resolution is checked first.
if ! cargo +nightly metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null; then
  echo "fuzz/Cargo.lock is out of date: run \`cargo update --manifest-path fuzz/Cargo.toml --workspace\` and commit it" >&2
  exit 1
fi

# The flags fuzz/README.md runs with, so that the replay runs what was fuzzed: no sanitizer
# (the project's crates forbid `unsafe`: an out-of-bounds access panics on its own, and with
# debug assertions an overflow does too), which keeps the runs fast.
flags=(--sanitizer none --debug-assertions --target-dir "$TARGET_DIR")
cargo +nightly fuzz build "${flags[@]}"

for target in $(cargo +nightly fuzz list); do
  inputs=("fuzz/corpus/$target")
  if [ -d "fuzz/regressions/$target" ]; then
    inputs+=("fuzz/regressions/$target")
  fi
  count=$(find "${inputs[@]}" -type f | wc -l)
  echo "== $target: replaying $count inputs"
  log=$(mktemp)
  # `-runs=0`: run the given inputs once each, and mutate nothing.
  if ! cargo +nightly fuzz run "${flags[@]}" "$target" "${inputs[@]}" -- -runs=0 >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "$target: an input fails (the panic is above); fuzz/README.md says how to debug it" >&2
    exit 1
  fi
  grep -E '^(Done|INFO: seed corpus)' "$log" || true
  rm -f "$log"
done
