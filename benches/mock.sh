#!/usr/bin/env bash
# Throughput and memory of the emulator (trustly-customers-mock), loaded from a second process
# over loopback with wrk. Method and recorded figures: benches/mock.md.
#
#   benches/mock.sh
#
# Environment:
#   DURATION=10   seconds per wrk run
#   CONNECTIONS=64
#   THREADS=2     wrk threads (the machine has 2 cores; the server gets tokio's default, one
#                 worker per core)
#   BENCH_DIR     scratch space (default: target/bench-mock in the workspace)
set -euo pipefail

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
CUSTOMERS=100000

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH_DIR=${BENCH_DIR:-$ROOT/target/bench-mock}
mkdir -p "$BENCH_DIR"
# shellcheck source=benches/emulator-bench.sh
. benches/emulator-bench.sh

note "release build"
cargo build --release --locked --quiet -p trustly-customers-mock \
  --bin trustly-customers-mock --example bench_baseline

kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
check() { awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
  r = (op == "<") ? a < b : (op == ">=") ? a >= b : 0; print (r ? "ok" : "MISSED") }'; }

note "baseline: the same stack with a fixed answer"
start baseline target/release/examples/bench_baseline
BASE_URL=$URL
BASE_PID=$PID
run_wrk baseline-get "$BASE_URL/customers/1000000001"

note "emulator, memory only"
start mock target/release/trustly-customers-mock --listen 127.0.0.1:0
MOCK_URL=$URL
MOCK_PID=$PID
RSS_EMPTY=$(kib "$MOCK_PID" VmRSS)

note "upserts ($CONNECTIONS connections, ${DURATION}s): creates, then updates past $CUSTOMERS"
run_wrk mock-upsert -s "$LUA" "$MOCK_URL/customers" -- 0 "$THREADS" "$AUTH"
top_up "$MOCK_URL"

note "GET by id with $CUSTOMERS customers stored"
ID=$(customer_id "$MOCK_URL" bench-12345)
run_wrk mock-get -H "Authorization: $AUTH" "$MOCK_URL/customers/$ID"
# The baseline again, right after: on a shared machine the load can change between runs, and
# the ratio uses the mean of the baseline runs either side of the emulator's.
run_wrk baseline-get-after "$BASE_URL/customers/1000000001"
RSS=$(kib "$MOCK_PID" VmRSS)
HWM=$(kib "$MOCK_PID" VmHWM)
BASE_RSS=$(kib "$BASE_PID" VmRSS)

# --data. The store of $CUSTOMERS customers above, as a `trustly-customers-mock/1` JSON file
# (the data file's format before it became a database): the emulator migrates it at its first
# start, and a build from before the change (MOCK_BEFORE) reads it as its own.
V1=$BENCH_DIR/v1-$CUSTOMERS.json
curl -fsS -H "Authorization: $AUTH" "$MOCK_URL/customers" | python3 -c '
import json, sys
customers = json.load(sys.stdin)["customers"]
next_id = max(int(c["customerId"]) for c in customers) + 1
out = sys.stdout
out.write("{\"format\":\"trustly-customers-mock/1\",\"nextCustomerId\":%d,\"customers\":[" % next_id)
out.write(",".join("\n" + json.dumps(c, separators=(",", ":")) for c in customers))
out.write("\n]}\n")
' >"$V1"
kill "$MOCK_PID"; wait "$MOCK_PID" 2>/dev/null || true

# timed_start NAME BIN ARGS...: start; sets STARTED to the seconds until the base URL appeared.
timed_start() {
  local t0 t1
  t0=$(date +%s.%N)
  start "$@"
  t1=$(date +%s.%N)
  STARTED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

# data_bench LABEL BINARY: upserts with --data from an empty file, then with $CUSTOMERS
# customers stored (the JSON file above, migrated by the current build); start-up time and
# memory with them. Both upsert runs create new customers. Prints one line of figures.
data_bench() {
  local label=$1 bin=$2 data=$BENCH_DIR/data-$1 first_start
  rm -f "$data" "$data".*
  start "$label-empty" "$bin" --listen 127.0.0.1:0 --data "$data"
  run_wrk "$label-data-empty" -s "$LUA" "$URL/customers" -- 0 "$THREADS" "$AUTH" empty
  stop "$PID"

  rm -f "$data" "$data".*
  cp "$V1" "$data"
  START_WAIT=300 timed_start "$label-first" "$bin" --listen 127.0.0.1:0 --data "$data"
  first_start=$STARTED
  stop "$PID"
  timed_start "$label-full" "$bin" --listen 127.0.0.1:0 --data "$data"
  local started=$STARTED rss_start
  rss_start=$(kib "$PID" VmRSS)
  # (The count builds the whole list answer: after the reading of RSS at start.)
  [ "$(count "$URL")" -eq "$CUSTOMERS" ] || die "$label: expected $CUSTOMERS customers after the restart"
  run_wrk "$label-data-full" -s "$LUA" "$URL/customers" -- 0 "$THREADS" "$AUTH" more
  local rss_end hwm
  rss_end=$(kib "$PID" VmRSS)
  hwm=$(kib "$PID" VmHWM)
  stop "$PID"
  local empty full
  empty=$(rate "$label-data-empty"); full=$(rate "$label-data-full")
  printf '%-10s %10s %10s %10s %8s %8s %10s %10s %9s %9s %9s\n' "$label" "$empty" "$(p99 "$label-data-empty")" \
    "$full" "$(p99 "$label-data-full")" "$(ratio "$full" "$empty")" "$first_start" "$started" \
    "$((rss_start / 1024))" "$((rss_end / 1024))" "$((hwm / 1024))" >>"$BENCH_DIR/data.txt"
  DATA_EMPTY=$empty DATA_FULL=$full DATA_STARTED=$started DATA_RSS=$((rss_end / 1024))
}

note "--data: upserts from empty and with $CUSTOMERS stored, start-up, memory"
: >"$BENCH_DIR/data.txt"
data_bench current target/release/trustly-customers-mock
CUR_EMPTY=$DATA_EMPTY CUR_FULL=$DATA_FULL CUR_STARTED=$DATA_STARTED CUR_RSS=$DATA_RSS
if [ -n "${MOCK_BEFORE:-}" ]; then
  # The emulator as of another revision, built in a worktree of its own, measured in this run.
  note "building the emulator as of $MOCK_BEFORE"
  WT=$BENCH_DIR/before-src
  git worktree remove --force "$WT" 2>/dev/null || rm -rf "$WT"
  git worktree add --detach --quiet "$WT" "$MOCK_BEFORE"
  (cd "$WT" && CARGO_TARGET_DIR=$BENCH_DIR/before-target cargo build --release --locked --quiet \
    -p trustly-customers-mock --bin trustly-customers-mock)
  git worktree remove --force "$WT"
  data_bench before "$BENCH_DIR/before-target/release/trustly-customers-mock"
fi

get=$(rate mock-get)
base=$(awk -v a="$(rate baseline-get)" -v b="$(rate baseline-get-after)" 'BEGIN { printf "%.2f", (a + b) / 2 }')
up=$(rate mock-upsert)
printf '\n%-44s %12s %10s %10s\n' "measurement ($CONNECTIONS connections, ${DURATION}s)" "req/s" "p99" "target"
printf '%-44s %12s %10s %10s\n' "baseline GET (fixed answer, same stack), before" "$(rate baseline-get)" "$(p99 baseline-get)" "-"
printf '%-44s %12s %10s %10s\n' "baseline GET, after" "$(rate baseline-get-after)" "$(p99 baseline-get-after)" "-"
printf '%-44s %12s %10s %10s %s\n' "GET by id, $CUSTOMERS stored" "$get" "$(p99 mock-get)" ">= 20000" "$(check "$get" '>=' 20000)"
printf '%-44s %12s %10s %10s %s\n' "upserts, memory only" "$up" "$(p99 mock-upsert)" ">= 10000" "$(check "$up" '>=' 10000)"
printf '%-44s %12s\n' "GET by id / mean of the baselines" "$(ratio "$get" "$base")"
printf '\n%-44s %9s MB\n' "emulator RSS, empty" "$((RSS_EMPTY / 1024))"
printf '%-44s %9s MB   < 250 MB %s\n' "emulator RSS, $CUSTOMERS customers (VmRSS)" "$((RSS / 1024))" "$(check "$((RSS / 1024))" '<' 250)"
printf '%-44s %9s MB\n' "emulator peak RSS (VmHWM)" "$((HWM / 1024))"
printf '%-44s %9s MB\n' "baseline RSS" "$((BASE_RSS / 1024))"

printf '\n--data (%s connections, %ss per run; rates are creates per second)\n' "$CONNECTIONS" "$DURATION"
printf '%-10s %10s %10s %10s %8s %8s %10s %10s %9s %9s %9s\n' build "empty/s" "p99" "$CUSTOMERS/s" p99 ratio "1st start" "start (s)" "RSS0 MB" "RSS MB" "peak MB"
cat "$BENCH_DIR/data.txt"
printf '%-44s %s\n' "--data upserts at $CUSTOMERS / from empty >= 0.8" "$(check "$(ratio "$CUR_FULL" "$CUR_EMPTY")" '>=' 0.8)"
printf '%-44s %s\n' "--data upserts at $CUSTOMERS >= 5000/s" "$(check "$CUR_FULL" '>=' 5000)"
printf '%-44s %s\n' "start-up with $CUSTOMERS < 1 s" "$(check "$CUR_STARTED" '<' 1)"
printf '%-44s %s\n' "RSS with $CUSTOMERS after the --data run < 250 MB" "$(check "$CUR_RSS" '<' 250)"
