#!/usr/bin/env bash
# Interop with Trustly's own exported schema (tests/fixtures/trustly/customers.yaml, as Trustly
# publishes it: Prism reads its `openapi: 3.2.0`), checked by Prism, a tool from outside,
# through the command line (and so the client library under it):
#
# 1. Validation: Prism as a validating proxy in front of the emulator. Every operation the CLI
#    has (upsert, get, list, list filtered both ways, update, replace) must pass, and Prism must
#    report no violation of Trustly's schema, in a request or in a response.
# 2. Dynamic: Prism inventing a random answer from Trustly's schema for each request. Each
#    operation is called RESPONSES_PER_OPERATION times (50 by default); every answer must decode.
#
# The changes sent by `update` here set properties and clear none: a cleared property is sent
# as `null`, which Trustly documents as "remove it" but its schema (which marks nothing
# nullable) refuses. That is one of the spec's decisions, not a disagreement found here.
#
#   .ci/interop.sh
#
# Prism is pinned and installed from npm into target/prism, reused while it holds that version.
# Node and npm come from Debian's packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PRISM_VERSION=5.14.2
PRISM_DIR=target/prism
PRISM=$PRISM_DIR/node_modules/.bin/prism
TRUSTLYS=tests/fixtures/trustly/customers.yaml
RESPONSES_PER_OPERATION=${RESPONSES_PER_OPERATION:-50}
export TRUSTLY_ACCESS_ID=interop-id TRUSTLY_ACCESS_KEY=interop-key

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v npm >/dev/null; then
  echo "== installing nodejs and npm"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
if [ "$("$PRISM" --version 2>/dev/null)" != "$PRISM_VERSION" ]; then
  echo "== installing @stoplight/prism-cli $PRISM_VERSION into $PRISM_DIR"
  mkdir -p "$PRISM_DIR"
  npm install --prefix "$PRISM_DIR" --no-audit --no-fund --loglevel=error \
    "@stoplight/prism-cli@$PRISM_VERSION"
fi

echo "== building the command line and the emulator"
cargo build --locked --quiet -p trustly-customers-cli -p trustly-customers-mock
CLI=target/debug/trustly-customers

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_for PORT LOG PID: until something listens on 127.0.0.1:PORT.
wait_for() {
  for _ in $(seq 1 300); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; then
      return 0
    fi
    kill -0 "$3" 2>/dev/null || { cat "$2" >&2; echo "interop.sh: the server did not start" >&2; exit 1; }
    sleep 0.1
  done
  cat "$2" >&2
  echo "interop.sh: nothing listens on port $1" >&2
  exit 1
}

# A whole customer as Trustly's schema has it (its `vip` is a string), and the changes `update`
# makes: a new phone number and tier, and a whole new address.
cat >"$work/customer.json" <<'EOF'
{"name": "Joe User", "phone": "+16505551212", "email": "joe.user@mail.com",
 "address": {"country": "US", "address1": "2000 Broadway St", "city": "Redwood City",
             "state": "CA", "zip": "94063"},
 "taxId": "012345678", "externalId": "interop-4567890", "enrollDate": 1555696836548,
 "vip": "2", "driverLicense": {"number": "A1234567", "state": "CA"},
 "customData": {"segment": "retail"}}
EOF
cat >"$work/changes.json" <<'EOF'
{"phone": "+16505550000", "externalTier": "Gold",
 "address": {"country": "US", "address1": "105 Alternate2 Street", "address2": "#402",
             "city": "Beverly Hills", "state": "CA", "zip": "90210"}}
EOF

failures=0
# cli NAME ARGS...: runs the command line, saving its output; a failure is counted and shown.
cli() {
  local name=$1
  shift
  if ! "$CLI" "$@" >"$work/out.json" 2>"$work/err.txt"; then
    failures=$((failures + 1))
    echo "FAILED: $name: trustly-customers $*" >&2
    cat "$work/err.txt" >&2
    return 1
  fi
}
json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$work/out.json" "$1"; }

echo
echo "== 1. validation: Prism checks every request and answer against Trustly's schema"
emulator_out="$work/emulator.out"
target/debug/trustly-customers-mock --listen 127.0.0.1:0 \
  --access-id "$TRUSTLY_ACCESS_ID" --access-key "$TRUSTLY_ACCESS_KEY" >"$emulator_out" &
pids+=($!)
for _ in $(seq 1 100); do
  emulator_url=$(head -n 1 "$emulator_out")
  [ -n "$emulator_url" ] && break
  sleep 0.1
done
[ -n "$emulator_url" ] || { echo "interop.sh: the emulator did not start" >&2; exit 1; }
proxy_port=$(free_port)
"$PRISM" proxy --errors -h 127.0.0.1 -p "$proxy_port" "$TRUSTLYS" "$emulator_url" \
  >"$work/proxy.log" 2>&1 &
pids+=($!)
wait_for "$proxy_port" "$work/proxy.log" "${pids[-1]}"
export TRUSTLY_BASE_URL="http://127.0.0.1:$proxy_port"

cli upsert upsert --file "$work/customer.json"
id=$(json_field customerId)
cli get get "$id"
cli list list
cli "list by external id" list --external-id interop-4567890
cli "list by customer id" list --customer-id "$id"
cli update update "$id" --file "$work/changes.json"
cli get get "$id"
cp "$work/out.json" "$work/read-back.json"
cli replace replace "$id" --file "$work/read-back.json"
cli "upsert by external id" upsert --external-id interop-4567890 --file "$work/customer.json"
# Prism logs each violation it finds as an error line.
violations=$(grep -c -i -E 'violation|✖' "$work/proxy.log" || true)
if [ "$violations" -gt 0 ]; then
  grep -i -E 'violation|✖' "$work/proxy.log" >&2
  failures=$((failures + violations))
fi
echo "validation: 9 commands, $violations violations reported by Prism"

# The proxy does refuse what Trustly's schema refuses: a sparse body to update-by-id, as this
# project sent before (the CLI itself no longer sends one), must be answered 422, or a pass
# above means nothing.
sparse_status=$(python3 - "$TRUSTLY_BASE_URL/customers/$id" "$TRUSTLY_ACCESS_ID:$TRUSTLY_ACCESS_KEY" <<'PY'
import base64, sys, urllib.error, urllib.request
url, credentials = sys.argv[1], sys.argv[2]
request = urllib.request.Request(url, data=b'{"phone": "+16505550000"}', headers={
    "Content-Type": "application/json",
    "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()})
try:
    print(urllib.request.urlopen(request).status)
except urllib.error.HTTPError as refused:
    print(refused.code)
PY
)
if [ "$sparse_status" != 422 ]; then
  echo "FAILED: Prism answered a sparse update-by-id $sparse_status, not 422: it is not validating" >&2
  failures=$((failures + 1))
fi
echo "validation: a sparse update-by-id sent past the CLI: answered $sparse_status (must be 422)"

echo
echo "== 2. dynamic: $RESPONSES_PER_OPERATION random answers per operation from Trustly's schema"
mock_port=$(free_port)
"$PRISM" mock --dynamic --errors -h 127.0.0.1 -p "$mock_port" "$TRUSTLYS" >"$work/mock.log" 2>&1 &
pids+=($!)
wait_for "$mock_port" "$work/mock.log" "${pids[-1]}"
export TRUSTLY_BASE_URL="http://127.0.0.1:$mock_port"
before=$failures
for _ in $(seq 1 "$RESPONSES_PER_OPERATION"); do
  cli get get 1002580963 || true
  cli list list || true
  cli "list by external id" list --external-id interop-4567890 || true
  cli upsert upsert --file "$work/customer.json" || true
  cli replace replace 1002580963 --file "$work/customer.json" || true
  # Its read is answered at random too, and the record it sends back is checked by Prism.
  cli update update 1002580963 --file "$work/changes.json" || true
done
echo "dynamic: 6 commands x $RESPONSES_PER_OPERATION, $((failures - before)) failed"

echo
if [ "$failures" -gt 0 ]; then
  echo "interop.sh: $failures failures against Trustly's schema" >&2
  exit 1
fi
echo "== interop with Trustly's schema: no failures"
