#!/usr/bin/env bash
# The emulator's throughput with no fault set, this build against another revision's, in the
# same run: memory-only upserts (the first 100,000 create, then updates) and GET by id with
# 100,000 customers stored, the two builds alternating round after round so that a change in
# the machine's load falls on both. Method and recorded figures: benches/mock.md ("Test bench").
#
#   BEFORE=main benches/mock-ab.sh
#   BEFORE=main ROUNDS=5 DURATION=10 benches/mock-ab.sh
#   AFTER_ARGS=--quiet BEFORE=main benches/mock-ab.sh   # this build without its per-request log
#
# Environment:
#   BEFORE=main      the revision to compare with (built in a worktree under BENCH_DIR)
#   ROUNDS=3         rounds; each measures both builds, in alternating order
#   DURATION=10      seconds per wrk run
#   CONNECTIONS=64, THREADS=2   as benches/mock.sh
#   AFTER_ARGS       extra options for this build (default none: its default log, to stderr,
#                    which goes to a file here)
#   BENCH_DIR        scratch space (default: target/bench-mock-ab)
set -euo pipefail

BEFORE=${BEFORE:-main}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
AFTER_ARGS=${AFTER_ARGS:-}
CUSTOMERS=100000

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH_DIR=${BENCH_DIR:-$ROOT/target/bench-mock-ab}
mkdir -p "$BENCH_DIR"
LUA=benches/mock-upsert.lua
AUTH="Basic $(printf 'local-access-id:local-access-key' | base64)"

die() { echo "mock-ab.sh: $*" >&2; exit 1; }
note() { echo "== $*" >&2; }

if ! command -v wrk >/dev/null; then
  note "installing wrk from Debian"
  sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi

note "release build of this tree"
cargo build --release --locked --quiet -p trustly-customers-mock --bin trustly-customers-mock
AFTER_BIN=$BENCH_DIR/after
cp target/release/trustly-customers-mock "$AFTER_BIN"

note "release build of $BEFORE ($(git rev-parse --short "$BEFORE"))"
WT=$BENCH_DIR/before-src
git worktree remove --force "$WT" 2>/dev/null || rm -rf "$WT"
git worktree add --detach --quiet "$WT" "$BEFORE"
(cd "$WT" && CARGO_TARGET_DIR=$BENCH_DIR/before-target cargo build --release --locked --quiet \
  -p trustly-customers-mock --bin trustly-customers-mock)
git worktree remove --force "$WT"
BEFORE_BIN=$BENCH_DIR/before-target/release/trustly-customers-mock

PID=
cleanup() { [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }; }
trap cleanup EXIT

# start NAME BIN ARGS...: sets URL and PID.
start() {
  local name=$1 out=$BENCH_DIR/$1.out
  shift
  "$@" >"$out" 2>"$BENCH_DIR/$name.err" &
  PID=$!
  URL=
  for _ in $(seq 1 1000); do
    # The file may not be there yet: the server's shell makes it.
    URL=$(head -n 1 "$out" 2>/dev/null || true)
    [ -n "$URL" ] && return 0
    kill -0 "$PID" 2>/dev/null || die "$name did not start: $(cat "$BENCH_DIR/$name.err")"
    sleep 0.01
  done
  die "$name printed no URL"
}
# The emulator's CPU time so far, user and system, in clock ticks (fields 14 and 15 of
# /proc/PID/stat; its name holds no space, so the fields split plainly).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
# run_wrk NAME ARGS...: wrk's report in NAME.wrk, and in NAME.cpu the emulator's CPU time per
# request in microseconds: a second view of the same run, less moved by the machine's load
# than the rate is, since it counts only the emulator's own work.
run_wrk() {
  local name=$1
  shift
  local ticks0
  ticks0=$(cpu_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" >"$BENCH_DIR/$name.wrk"
  local ticks=$(($(cpu_ticks) - ticks0))
  if grep -q "Non-2xx\|Socket errors" "$BENCH_DIR/$name.wrk"; then
    cat "$BENCH_DIR/$name.wrk" >&2
    die "$name: errors during the run"
  fi
  awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" \
    '/requests in/ { printf "%.3f\n", ticks / hz * 1e6 / $1 }' "$BENCH_DIR/$name.wrk" \
    >"$BENCH_DIR/$name.cpu"
}
rate() { awk '/^Requests\/sec:/ { print $2 }' "$BENCH_DIR/$1.wrk"; }
cpu() { cat "$BENCH_DIR/$1.cpu"; }
count() { curl -fsS -H "Authorization: $AUTH" "$1/customers" | grep -o '"customerId"' | wc -l; }
first_missing() {
  curl -fsS -H "Authorization: $AUTH" "$1/customers" | python3 -c '
import json, sys
names = {c.get("externalId") for c in json.load(sys.stdin)["customers"]}
print(next((n for n in range('"$CUSTOMERS"') if "bench-%d" % n not in names), -1))'
}

# measure LABEL BIN ARGS...: upserts, then GET by id with $CUSTOMERS stored.
measure() {
  local label=$1
  shift
  start "$label" "$@" --listen 127.0.0.1:0
  run_wrk "$label-upsert" -s "$LUA" "$URL/customers" -- 0 "$THREADS" "$AUTH"
  local loaded
  loaded=$(count "$URL")
  while [ "$loaded" -lt "$CUSTOMERS" ]; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$LUA" "$URL/customers" -- \
      "$(first_missing "$URL")" "$THREADS" "$AUTH" >/dev/null
    loaded=$(count "$URL")
  done
  local id
  id=$(curl -fsS -H "Authorization: $AUTH" "$URL/customers?externalId=bench-12345" |
    grep -o '"customerId":"[0-9]*"' | grep -o '[0-9][0-9]*')
  run_wrk "$label-get" -H "Authorization: $AUTH" "$URL/customers/$id"
  kill "$PID"; wait "$PID" 2>/dev/null || true
  PID=
}

note "load: $(uptime)"
: >"$BENCH_DIR/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which build goes first.
  if [ $((round % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
  for which in $order; do
    note "round $round: $which"
    if [ "$which" = before ]; then
      measure "r$round-before" "$BEFORE_BIN"
    else
      # shellcheck disable=SC2086
      measure "r$round-after" "$AFTER_BIN" $AFTER_ARGS
    fi
  done
  printf '%s %s %s %s %s %s %s %s %s\n' "$round" \
    "$(rate "r$round-before-upsert")" "$(rate "r$round-after-upsert")" \
    "$(rate "r$round-before-get")" "$(rate "r$round-after-get")" \
    "$(cpu "r$round-before-upsert")" "$(cpu "r$round-after-upsert")" \
    "$(cpu "r$round-before-get")" "$(cpu "r$round-after-get")" >>"$BENCH_DIR/rounds.txt"
done
note "load: $(uptime)"

printf '\n%-6s %14s %14s %7s %14s %14s %7s\n' round "upserts before" "after" ratio "GET before" "after" ratio
awk '{ printf "%-6s %14.0f %14.0f %7.3f %14.0f %14.0f %7.3f\n", $1, $2, $3, $3 / $2, $4, $5, $5 / $4 }' \
  "$BENCH_DIR/rounds.txt"
printf '\nthe emulator'"'"'s CPU time per request, microseconds (ratio: before / after, so above 1 is cheaper)\n'
printf '%-6s %14s %14s %7s %14s %14s %7s\n' round "upserts before" "after" ratio "GET before" "after" ratio
awk '{ printf "%-6s %14.2f %14.2f %7.3f %14.2f %14.2f %7.3f\n", $1, $6, $7, $6 / $7, $8, $9, $8 / $9 }' \
  "$BENCH_DIR/rounds.txt"
awk '
  { u = $3 / $2; g = $5 / $4; su += u; sg += g; n++
    if (n == 1 || u < umin) umin = u; if (n == 1 || u > umax) umax = u
    if (n == 1 || g < gmin) gmin = g; if (n == 1 || g > gmax) gmax = g
    tb += $2; ta += $3; gb += $4; ga += $5 }
  END {
    printf "\nupserts: mean ratio %.3f (%.3f to %.3f); totals %.3f\n", su / n, umin, umax, ta / tb
    printf "GET by id: mean ratio %.3f (%.3f to %.3f); totals %.3f\n", sg / n, gmin, gmax, ga / gb
  }' "$BENCH_DIR/rounds.txt"
# The median of each ratio: on two cores shared with wrk a round can land far from the others.
median() { awk "{ print \$$1 / \$$2 }" "$BENCH_DIR/rounds.txt" | sort -g |
  awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf "medians: upserts %s, GET by id %s; CPU per upsert %s, per GET by id %s\n" \
  "$(median 3 2)" "$(median 5 4)" "$(median 6 7)" "$(median 8 9)"
awk '
  { u = $6 / $7; g = $8 / $9; su += u; sg += g; n++
    if (n == 1 || u < umin) umin = u; if (n == 1 || u > umax) umax = u
    if (n == 1 || g < gmin) gmin = g; if (n == 1 || g > gmax) gmax = g }
  END {
    printf "CPU per upsert: mean ratio %.3f (%.3f to %.3f)\n", su / n, umin, umax
    printf "CPU per GET by id: mean ratio %.3f (%.3f to %.3f)\n", sg / n, gmin, gmax
  }' "$BENCH_DIR/rounds.txt"
