#!/usr/bin/env bash
# Conformance of the emulator (trustly-customers-mock), checked from outside by schemathesis,
# against two descriptions of the API and the description of its admin API:
#
#   openapi/customers.yaml                 this project's spec: every answer is declared
#                                          (status, content type, schema) and none is a 5xx;
#   tests/fixtures/trustly/customers.yaml  Trustly's own exported schema: requests it allows get
#                                          answers it allows, and none is a 5xx (as Trustly
#                                          publishes it: schemathesis reads its 3.2.0);
#   openapi/admin.yaml                     the admin API under /__admin (faults, the request
#                                          journal, reset), every check on, like the spec.
#
# Every phase runs (examples, coverage, fuzzing, stateful), with several seeds: one seed finds
# what it finds, the next finds more. The seeds are random unless SEEDS is set, and printed, so
# any failure can be replayed with SEEDS=<seed>. Each run gets a fresh emulator; the two schemas
# run side by side.
#
#   .ci/schemathesis.sh                      (3 random seeds, MAX_EXAMPLES=100 per operation)
#   SEEDS="1 2 3 4 5" .ci/schemathesis.sh
#
# Against Trustly's schema, `status_code_conformance` is left out: that schema declares no error
# response at all, so every 4xx to a request it calls invalid would count as a failure, although
# answering an invalid request with 400 is exactly what the API does. Any warning fails a run
# too (.ci/schemathesis.toml; .ci/schemathesis-trustly.toml for Trustly's schema): each means
# the emulator and the schema disagree, or that an operation was never really exercised.
#
# schemathesis is pinned and installed from PyPI into a virtualenv under target/, reused while
# it holds that version. It writes its reports to .schemathesis/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
VENV=target/schemathesis-venv
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
SEEDS=${SEEDS:-"$(shuf -i 1-2147483647 -n 3 | tr '\n' ' ')"}
ACCESS_ID=schemathesis-id
ACCESS_KEY=schemathesis-key
OURS=openapi/customers.yaml
TRUSTLYS=tests/fixtures/trustly/customers.yaml
ADMIN=openapi/admin.yaml
ALL_CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
TRUSTLY_CHECKS=not_a_server_error,content_type_conformance,response_schema_conformance

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

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# run_against SCHEMA CHECKS SEED: one full run against an emulator of its own, started on a free
# port (port 0: the system picks one; the emulator prints its base URL first). Its status.
run_against() (
  local schema=$1 checks=$2 seed=$3
  local out="$logs/emulator-$BASHPID" server base_url=
  target/debug/trustly-customers-mock --listen 127.0.0.1:0 --quiet \
    --access-id "$ACCESS_ID" --access-key "$ACCESS_KEY" >"$out" &
  server=$!
  trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    base_url=$(head -n 1 "$out")
    [ -n "$base_url" ] && break
    kill -0 "$server" 2>/dev/null || { echo "schemathesis.sh: the emulator did not start" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$base_url" ] || { echo "schemathesis.sh: no base URL from the emulator" >&2; exit 1; }
  # The customer the configuration's `existing-customer` names: the emulator's first.
  python3 - "$base_url" "$ACCESS_ID:$ACCESS_KEY" <<'PY'
import base64, json, sys, urllib.request
url, credentials = sys.argv[1], sys.argv[2]
body = {"name": "Joe User", "address": {"country": "US"}, "phone": "+16505551212",
        "email": "joe.user@mail.com", "externalId": "schemathesis-existing"}
request = urllib.request.Request(url + "/customers", data=json.dumps(body).encode(), headers={
    "Content-Type": "application/json",
    "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()})
created = json.load(urllib.request.urlopen(request))["customer"]["customerId"]
assert created == "1000000001", f"the first customer is {created}, not the configured one"
PY
  local config=.ci/schemathesis.toml hooks= url=$base_url
  if [ "$schema" = "$ADMIN" ]; then
    # The admin document's paths are absolute (/__admin/...): the server without /api/v1.
    url=${base_url%/api/v1}
  fi
  if [ "$schema" = "$TRUSTLYS" ]; then
    # Against Trustly's schema: its own warning settings, and hooks that leave out what the
    # spec's decisions (`cargo xtask drift tests/fixtures/trustly/customers.yaml` lists them)
    # settle the other way.
    config=.ci/schemathesis-trustly.toml
    hooks=schemathesis_hooks
  fi
  echo "== $schema, seed $seed: $checks"
  SCHEMATHESIS_HOOKS=$hooks PYTHONPATH=.ci \
    "$VENV/bin/schemathesis" --config-file "$config" run "$schema" \
    --url "$url" \
    --auth "$ACCESS_ID:$ACCESS_KEY" \
    --phases examples,coverage,fuzzing,stateful \
    --checks "$checks" \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$seed" \
    --no-color
)

echo "== seeds: $SEEDS (replay one with SEEDS=<seed>)"
failed=()
for seed in $SEEDS; do
  # The two schemas at once, each against its own emulator: the machine has two cores.
  run_against "$OURS" "$ALL_CHECKS" "$seed" >"$logs/ours" 2>&1 &
  ours=$!
  run_against "$TRUSTLYS" "$TRUSTLY_CHECKS" "$seed" >"$logs/trustlys" 2>&1 &
  trustlys=$!
  wait "$ours" || failed+=("$OURS seed $seed")
  wait "$trustlys" || failed+=("$TRUSTLYS seed $seed")
  run_against "$ADMIN" "$ALL_CHECKS" "$seed" >"$logs/admin" 2>&1 || failed+=("$ADMIN seed $seed")
  echo
  cat "$logs/ours"
  echo
  cat "$logs/trustlys"
  echo
  cat "$logs/admin"
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "schemathesis.sh: failures or warnings in: ${failed[*]}" >&2
  exit 1
fi
echo "== schemathesis: no failures and no warnings with seeds $SEEDS, against the three schemas"
