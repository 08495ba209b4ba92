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
# shellcheck source=benches/emulator-bench.sh
. benches/emulator-bench.sh

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

# measure LABEL BIN ARGS...: upserts, then GET by id with $CUSTOMERS stored.
measure() {
  local label=$1
  shift
  start "$label" "$@" --listen 127.0.0.1:0
  CPU_PID=$PID
  run_wrk "$label-upsert" -s "$LUA" "$URL/customers" -- 0 "$THREADS" "$AUTH"
  top_up "$URL"
  run_wrk "$label-get" -H "Authorization: $AUTH" "$URL/customers/$(customer_id "$URL" bench-12345)"
  CPU_PID=
  stop "$PID"
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
