#!/usr/bin/env bash
# Compares the wire-level verdicts of `cargo xtask diff` with peer tools on the spec-change
# corpus (tests/fixtures/spec-changes), and prints the table recorded in benches/spec-diff.md.
#
#   benches/spec-diff-peers.sh
#
# Peers, installed from npm into target/spec-diff-peers:
#   - openapi-diff 0.24.1 (Atlassian): JavaScript, installs from npm alone.
#   - @pb33f/openapi-changes 0.0.67: its npm package only downloads a Go binary from
#     github.com when installed. Where github.com cannot be reached the install fails, and the
#     table says "not installed".
# PyYAML (for reading the fixtures) comes from PyPI into the same directory.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$PWD/target/spec-diff-peers
mkdir -p "$tools"

if [ ! -x "$tools/node_modules/.bin/openapi-diff" ]; then
  (cd "$tools" && npm install --no-audit --no-fund --silent openapi-diff@0.24.1 >/dev/null)
fi
if [ ! -e "$tools/node_modules/@pb33f/openapi-changes/bin/openapi-changes" ]; then
  if ! (cd "$tools" && npm install --no-audit --no-fund --silent @pb33f/openapi-changes@0.0.67 >"$tools/openapi-changes-install.log" 2>&1); then
    echo "spec-diff-peers: @pb33f/openapi-changes did not install (its install downloads from github.com): see $tools/openapi-changes-install.log" >&2
  fi
fi
if [ ! -d "$tools/python/yaml" ]; then
  python3 -m pip install --quiet --target "$tools/python" PyYAML==6.0.2
fi

cargo build --quiet --locked -p xtask
PYTHONPATH=$tools/python python3 benches/spec-diff-peers.py "$PWD/target/debug/xtask" "$tools"
