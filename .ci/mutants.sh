#!/usr/bin/env bash
# Mutation testing of the code that guards money and privacy: cargo-mutants changes one thing
# at a time (a condition negated, a match arm deleted, a function made to return a default)
# and runs the tests that cover it; a mutant no test notices ("missed") is a safety promise the
# suite does not back. The outcome is recorded, with every survivor explained, in mutants.md.
#
#   .ci/mutants.sh            the scoped run .ci/run makes: the retry decision, the error
#                             classification and id validation (a few minutes)
#   .ci/mutants.sh --all      every listed module (the pre-merge check; see mutants.md)
#
# cargo-mutants is pinned and installed from crates.io under target/, reused while it holds
# that version. Its output goes to target/mutants.out/ (one per scope).
set -euo pipefail
cd "$(dirname "$0")/.."

MUTANTS_VERSION=27.1.0
ROOT=target/cargo-mutants
BIN=$ROOT/bin/cargo-mutants

if [ "$("$BIN" mutants --version 2>/dev/null)" != "cargo-mutants $MUTANTS_VERSION" ]; then
  echo "== installing cargo-mutants $MUTANTS_VERSION into $ROOT"
  cargo install --quiet --locked --root "$ROOT" cargo-mutants --version "$MUTANTS_VERSION"
fi

# scope NAME PACKAGE FILE...: one cargo-mutants run over FILEs of PACKAGE, testing PACKAGE.
scope() {
  local name=$1 package=$2
  shift 2
  local files=()
  for file in "$@"; do files+=(--file "$file"); done
  echo "== mutants: $name"
  "$BIN" mutants --no-shuffle --package "$package" "${files[@]}" \
    --output "target/mutants.out/$name" --timeout-multiplier 3 --colors never
}

scope client-safety trustly-customers \
  crates/trustly-customers/src/retry.rs \
  crates/trustly-customers/src/call.rs \
  crates/trustly-customers/src/error.rs

if [ "${1:-}" = "--all" ]; then
  scope client-redaction trustly-customers \
    crates/trustly-customers/src/excerpt.rs \
    crates/trustly-customers/src/config.rs
  scope api-guards trustly-customers-api \
    crates/trustly-customers-api/src/nullable.rs \
    crates/trustly-customers-api/src/redact.rs \
    crates/trustly-customers-api/src/hooks.rs
  scope emulator-store trustly-customers-mock \
    crates/trustly-customers-mock/src/store.rs \
    crates/trustly-customers-mock/src/persist.rs \
    crates/trustly-customers-mock/src/data_file.rs
  scope lint xtask xtask/src/lint.rs
fi
