# Sourced by benches/mock.sh and benches/mock-ab.sh: what both do to load an emulator with wrk.
# The sourcing script sets BENCH_DIR, DURATION, CONNECTIONS, THREADS and CUSTOMERS first.
# shellcheck shell=bash

LUA=benches/mock-upsert.lua
AUTH="Basic $(printf 'local-access-id:local-access-key' | base64)"
SCRIPT=$(basename "$0")

die() { echo "$SCRIPT: $*" >&2; exit 1; }
note() { echo "== $*" >&2; }

if ! command -v wrk >/dev/null; then
  note "installing wrk from Debian"
  sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi

# Servers started here, stopped on any exit.
PIDS=()
stop_servers() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}
trap stop_servers EXIT

# start NAME CMD...: starts a server that prints its base URL first; sets URL and PID. Waits
# up to START_WAIT seconds (default 10; a migration of a large data file takes longer).
start() {
  local name=$1 out=$BENCH_DIR/$1.out
  shift
  "$@" >"$out" 2>"$BENCH_DIR/$name.err" &
  PID=$!
  PIDS+=("$PID")
  URL=
  for _ in $(seq 1 $((${START_WAIT:-10} * 100))); do
    # The file may not be there yet: the server's shell makes it.
    URL=$(head -n 1 "$out" 2>/dev/null || true)
    [ -n "$URL" ] && return 0
    kill -0 "$PID" 2>/dev/null || die "$name did not start: $(cat "$BENCH_DIR/$name.err")"
    sleep 0.01
  done
  die "$name printed no URL"
}

# stop PID: SIGTERM, and wait until every change is saved and the process is gone.
stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

# The CPU time of process $1 so far, user and system, in clock ticks (fields 14 and 15 of
# /proc/PID/stat; the emulator's name holds no space, so the fields split plainly).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# run_wrk NAME ARGS...: runs wrk, keeps its report in NAME.wrk, fails on any non-2xx answer or
# socket error. With CPU_PID set, also writes NAME.cpu: that process's CPU time per request in
# microseconds, a second view of the run that counts only the server's own work.
run_wrk() {
  local name=$1 ticks0=
  shift
  [ -n "${CPU_PID:-}" ] && ticks0=$(cpu_ticks "$CPU_PID")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" >"$BENCH_DIR/$name.wrk"
  if grep -q "Non-2xx\|Socket errors" "$BENCH_DIR/$name.wrk"; then
    cat "$BENCH_DIR/$name.wrk" >&2
    die "$name: errors during the run"
  fi
  if [ -n "$ticks0" ]; then
    awk -v ticks="$(($(cpu_ticks "$CPU_PID") - ticks0))" -v hz="$(getconf CLK_TCK)" \
      '/requests in/ { printf "%.3f\n", ticks / hz * 1e6 / $1 }' "$BENCH_DIR/$name.wrk" \
      >"$BENCH_DIR/$name.cpu"
  fi
}
rate() { awk '/^Requests\/sec:/ { print $2 }' "$BENCH_DIR/$1.wrk"; }
cpu() { cat "$BENCH_DIR/$1.cpu"; }
p99() { awk '$1 == "99%" { print $2 }' "$BENCH_DIR/$1.wrk"; }

# count URL: how many customers the emulator at URL lists.
count() {
  curl -fsS -H "Authorization: $AUTH" "$1/customers" | grep -o '"customerId"' | wc -l
}

# top_up URL: upserts until the emulator at URL holds exactly $CUSTOMERS customers. wrk's
# threads need not make the same number of requests, so the customers a timed run made can
# have gaps: each top-up starts at the first missing one.
first_missing() {
  curl -fsS -H "Authorization: $AUTH" "$1/customers" | python3 -c '
import json, sys
names = {c.get("externalId") for c in json.load(sys.stdin)["customers"]}
print(next((n for n in range('"$CUSTOMERS"') if "bench-%d" % n not in names), -1))'
}
top_up() {
  local loaded
  loaded=$(count "$1")
  while [ "$loaded" -lt "$CUSTOMERS" ]; do
    note "loading: $loaded of $CUSTOMERS customers"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$LUA" "$1/customers" -- \
      "$(first_missing "$1")" "$THREADS" "$AUTH" >/dev/null
    loaded=$(count "$1")
  done
  [ "$loaded" -eq "$CUSTOMERS" ] || die "expected $CUSTOMERS customers, found $loaded"
}

# customer_id URL EXTERNAL_ID: the customerId of the customer with that externalId.
customer_id() {
  curl -fsS -H "Authorization: $AUTH" "$1/customers?externalId=$2" |
    grep -o '"customerId":"[0-9]*"' | grep -o '[0-9][0-9]*'
}
