#!/usr/bin/env bash
# Load and soak test: the client (`trustly_customers::Client`, with retries) against the
# emulator binary with `--data`, killed with SIGKILL and restarted half-way through. Method and
# recorded figures: benches/soak.md.
#
#   benches/soak.sh
#   SOAK_OPS=10000 benches/soak.sh        # a short run
#
# Environment (read by the bench, tests/benches/soak.rs):
#   SOAK_OPS=100000        operations in all; the emulator is killed when half are done
#   SOAK_CONCURRENCY=64    operations under way at once
#   SOAK_SEED              the mix's random seed (printed): the same seed gives each worker the
#                          same choices of operation; timing still decides the customers hit
#   SOAK_RETRIES=8         the client's retries; 0 is the negative control (calls cut by the
#                          kill fail, and so does the run)
#   BENCH_DIR              scratch space (default: target/bench-soak in the workspace): the
#                          data file, the emulator's stderr, the report (soak.txt), every
#                          memory sample (rss.csv)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH_DIR=${BENCH_DIR:-$ROOT/target/bench-soak}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$BENCH_DIR"

echo "== release build of the emulator and the bench" >&2
cargo build --release --locked --quiet -p trustly-customers-mock --bin trustly-customers-mock
cargo bench --locked --quiet -p workspace-tests --bench soak --no-run

echo "== soak run (report also in $BENCH_DIR/soak.txt)" >&2
# The bench starts the emulator itself, on 127.0.0.1 only, and stops it on every way out.
SOAK_EMULATOR=$TARGET_DIR/release/trustly-customers-mock SOAK_DIR=$BENCH_DIR \
  cargo bench --locked --quiet -p workspace-tests --bench soak 2>&1 | tee "$BENCH_DIR/soak.txt"
