#!/usr/bin/env bash
# The emulator's throughput with no fault set, this build against another revision's, in the
# same run: memory-only upserts (the first 100,000 create, then updates) and GET by id with
# 100,000 customers stored. Each round starts both builds afresh; they take turns, and at GET
# by id they take several short turns, so that a change in the machine's speed falls on both.
# Method and recorded figures: benches/mock.md ("The test bench with no fault set").
#
#   BEFORE=main benches/mock-ab.sh
#   BEFORE=main ROUNDS=5 DURATION=10 benches/mock-ab.sh
#   AFTER_ARGS=--quiet BEFORE=main benches/mock-ab.sh   # this build without its per-request log
#
# Environment:
#   BEFORE=main      the revision to compare with (built in a worktree under BENCH_DIR)
#   ROUNDS=3         rounds; each starts and measures both builds, in alternating order
#   DURATION=10      seconds of upserts per build and round, and of GET by id
#   SLICES=4         the turns each build takes at GET by id in a round, DURATION / SLICES
#                    seconds each
#   CONNECTIONS=64, THREADS=2   as benches/mock.sh
#   AFTER_ARGS       extra options for this build (default none: its default log, to stderr,
#                    which goes to a file here)
#   BENCH_DIR        scratch space (default: target/bench-mock-ab)
set -euo pipefail

BEFORE=${BEFORE:-main}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
SLICES=${SLICES:-4}
[ "$DURATION" -ge "$SLICES" ] || { echo "mock-ab.sh: DURATION must be at least SLICES" >&2; exit 2; }
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

# start_build WHICH LABEL: starts the build WHICH (before or after) as LABEL; sets URL and PID.
start_build() {
  if [ "$1" = before ]; then
    start "$2" "$BEFORE_BIN" --listen 127.0.0.1:0
  else
    # shellcheck disable=SC2086
    start "$2" "$AFTER_BIN" $AFTER_ARGS --listen 127.0.0.1:0
  fi
}

# mean NAME...: the mean of the numbers in the files NAME.
mean() { cat "$@" | awk '{ s += $1; n++ } END { printf "%.3f", s / n }'; }

# One round: both builds start afresh, each takes DURATION seconds of upserts (creates, then
# updates), is topped up to $CUSTOMERS customers, and then the two take turns at GET by id,
# SLICES runs each of DURATION / SLICES seconds, so that a change in the machine's speed falls
# on both. Which build goes first alternates from round to round, and within a round.
round() {
  local r=$1 first second which slice
  declare -A url pid id
  if [ $((r % 2)) -eq 1 ]; then first=before second=after; else first=after second=before; fi
  for which in $first $second; do
    start_build "$which" "r$r-$which"
    url[$which]=$URL
    pid[$which]=$PID
  done
  for which in $first $second; do
    note "round $r: $which, upserts"
    CPU_PID=${pid[$which]} run_wrk "r$r-$which-upsert" -s "$LUA" "${url[$which]}/customers" -- \
      0 "$THREADS" "$AUTH"
    top_up "${url[$which]}"
    id[$which]=$(customer_id "${url[$which]}" bench-12345)
  done
  note "round $r: GET by id, $SLICES turns each"
  for slice in $(seq 1 "$SLICES"); do
    for which in $first $second; do
      CPU_PID=${pid[$which]} DURATION=$((DURATION / SLICES)) run_wrk "r$r-$which-get$slice" \
        -H "Authorization: $AUTH" "${url[$which]}/customers/${id[$which]}"
      rate "r$r-$which-get$slice" >"$BENCH_DIR/r$r-$which-get$slice.rate"
    done
    # The other build first next time.
    read -r first second <<<"$second $first"
  done
  for which in before after; do stop "${pid[$which]}"; done
  local get_rates=() get_cpus=()
  for which in before after; do
    get_rates+=("$(mean "$BENCH_DIR/r$r-$which-get"*.rate)")
    get_cpus+=("$(mean "$BENCH_DIR/r$r-$which-get"*.cpu)")
  done
  printf '%s %s %s %s %s %s %s %s %s\n' "$r" \
    "$(rate "r$r-before-upsert")" "$(rate "r$r-after-upsert")" "${get_rates[@]}" \
    "$(cpu "r$r-before-upsert")" "$(cpu "r$r-after-upsert")" "${get_cpus[@]}" \
    >>"$BENCH_DIR/rounds.txt"
}

note "load: $(uptime)"
rm -f "$BENCH_DIR"/r[0-9]*-*
: >"$BENCH_DIR/rounds.txt"
for r in $(seq 1 "$ROUNDS"); do round "$r"; done
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
