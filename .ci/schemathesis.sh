#!/usr/bin/env bash
# Conformance of the emulator (trustly-customers-mock) to openapi/customers.yaml, checked by
# schemathesis: every answer must not be a server error and must match the response schema of
# its operation and status. Zero failures or this script fails; so do the warnings listed in
# .ci/schemathesis.toml, which mean the emulator and the spec disagree.
#
#   .ci/schemathesis.sh            (MAX_EXAMPLES=50 by default)
#
# schemathesis is pinned and installed from PyPI into a virtualenv under target/, reused while
# it holds that version. It writes its reports to .schemathesis/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
VENV=target/schemathesis-venv
MAX_EXAMPLES=${MAX_EXAMPLES:-50}
ACCESS_ID=schemathesis-id
ACCESS_KEY=schemathesis-key

if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  echo "== installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  if ! python3 -m venv "$VENV"; then
    # Debian's own Python ships venv separately.
    echo "== installing python3-venv"
    sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    rm -rf "$VENV"
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

echo "== building the emulator"
cargo build --locked --quiet -p trustly-customers-mock --bin trustly-customers-mock

# Port 0: the system picks a free port; the emulator prints its base URL as its first line.
out=$(mktemp)
target/debug/trustly-customers-mock --listen 127.0.0.1:0 \
  --access-id "$ACCESS_ID" --access-key "$ACCESS_KEY" >"$out" &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$out"
}
trap cleanup EXIT

base_url=
for _ in $(seq 1 100); do
  base_url=$(head -n 1 "$out")
  [ -n "$base_url" ] && break
  kill -0 "$server" 2>/dev/null || { echo "schemathesis.sh: the emulator did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base_url" ] || { echo "schemathesis.sh: no base URL from the emulator" >&2; exit 1; }
echo "== emulator at $base_url"

# The seed makes a failure reproducible; a run with another seed can be made with SEED=...
"$VENV/bin/schemathesis" --config-file .ci/schemathesis.toml run openapi/customers.yaml \
  --url "$base_url" \
  --auth "$ACCESS_ID:$ACCESS_KEY" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "$MAX_EXAMPLES" \
  --seed "${SEED:-20240601}" \
  --no-color
