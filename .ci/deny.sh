#!/usr/bin/env bash
# Supply-chain check: every dependency's license is one deny.toml allows, no banned or
# wildcard dependency, and every crate comes from crates.io. Advisories are left out (their
# database is fetched from GitHub; see deny.toml).
#
# cargo-deny is pinned and installed from crates.io into a per-user cache outside the
# checkout (each fresh clone would compile it again: several minutes), reused while it holds
# that version. CARGO_DENY_ROOT chooses another place.
set -euo pipefail
cd "$(dirname "$0")/.."

DENY_VERSION=0.20.2
ROOT=${CARGO_DENY_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/trustly-customers/cargo-deny-$DENY_VERSION}
BIN=$ROOT/bin/cargo-deny

if [ "$("$BIN" --version 2>/dev/null)" != "cargo-deny $DENY_VERSION" ]; then
  echo "== installing cargo-deny $DENY_VERSION into $ROOT"
  cargo install --quiet --locked --root "$ROOT" cargo-deny --version "$DENY_VERSION"
fi
"$BIN" --locked check --hide-inclusion-graph licenses bans sources
