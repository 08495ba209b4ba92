#!/usr/bin/env bash
# Benchmarks for `cargo xtask codegen` and the crate it generates, against
# openapi-generator's `rust` client for the same spec. See benches/README.md.
#
#   benches/codegen.sh [fast|builds|apps|release|all]     (default: all)
#
#   fast    1. xtask codegen (binary, and through cargo)  2. openapi-generator-cli
#   builds  3. clean builds of both generated crates      4. cold codegen in a fresh clone
#   apps    5. a new user's first build: a fresh binary crate that calls one operation through
#              `trustly-customers`, or through openapi-generator's crate, plus tokio; clean
#              debug builds, alternating, for each TLS choice of each
#   release 6. the release binaries (the CLI and the emulator) with the workspace's release
#              profile (lto, codegen-units = 1, strip) and with cargo's default one: size and
#              build time
#
# Environment:
#   RUNS=15        runs per fast measurement
#   BUILD_RUNS=3   runs per clean-build measurement
#   BENCH_DIR      scratch space (default: target/bench in the workspace)
set -euo pipefail

SECTION=${1:-all}
RUNS=${RUNS:-15}
BUILD_RUNS=${BUILD_RUNS:-3}
OAG_VERSION=7.26.0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH_DIR=${BENCH_DIR:-$ROOT/target/bench}
VENV=$BENCH_DIR/venv
OAG_OUT=$BENCH_DIR/oag-rust
SPEC=openapi/customers.yaml
CRATE=crates/trustly-customers-api

case $SECTION in
  fast | builds | apps | release | all) ;;
  *)
    echo "usage: $0 [fast|builds|apps|release|all]" >&2
    exit 2
    ;;
esac
mkdir -p "$BENCH_DIR"

# ---------------------------------------------------------------- helpers

die() {
  echo "codegen.sh: $*" >&2
  exit 1
}
note() { echo "== $*" >&2; }

# Results are collected as rows and printed together, so progress output
# above does not bury them.
ROWS=()
NOTES=()
# measure, median, min..max over the runs, target, verdict
row() { ROWS+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"$'\t'"$5"); }

# Median of the numbers on stdin, one per line. Even counts average the
# middle two, so BUILD_RUNS=2 still gives a fair figure.
median() {
  sort -g | awk '{ v[NR] = $1 }
    END {
      if (NR == 0) { print "nan"; exit }
      if (NR % 2) printf "%.1f\n", v[(NR + 1) / 2]
      else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

# `check A OP B` -> "ok" / "MISSED"; awk because bash has no floats.
check() { awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
  r = (op == "<") ? a < b : (op == "<=") ? a <= b : (op == ">=") ? a >= b : 0
  print (r ? "ok" : "MISSED") }'; }
# The spread shows how much a median can be trusted on a noisy machine.
spread() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s..%s", lo, hi }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

# Runs "$@" with its output in $LOG and sets ELAPSED_NS. The subtraction stays
# in bash: nanoseconds since the epoch do not fit awk's doubles exactly.
# Failure is fatal: a benchmark of a broken run means nothing.
LOG=$BENCH_DIR/last.log
timed() {
  local t0 t1
  t0=$(date +%s%N)
  if ! "$@" >"$LOG" 2>&1; then
    cat "$LOG" >&2
    die "failed: $*"
  fi
  t1=$(date +%s%N)
  ELAPSED_NS=$((t1 - t0))
}
ns_to_ms() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e6 }'; }
ns_to_s() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e9 }'; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
APT_UPDATED=
# Installs Debian packages that are not already there; a no-op on machines
# that have them, so re-runs never touch the network for this.
need_apt() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  note "installing ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# openapi-generator-cli from PyPI ships the generator jar inside the wheel, so
# only a JVM (>= 11) is needed besides pip.
setup_oag() {
  command -v java >/dev/null || need_apt openjdk-17-jre-headless
  # Captured first: with pipefail, `pip show | grep -q` fails when grep stops
  # reading early and pip dies of the broken pipe.
  local shown
  shown=$("$VENV/bin/pip" show openapi-generator-cli 2>/dev/null || true)
  if ! grep -qx "Version: $OAG_VERSION" <<<"$shown"; then
    note "installing openapi-generator-cli $OAG_VERSION into $VENV"
    python3 -m venv "$VENV" 2>/dev/null || {
      need_apt python3-venv
      python3 -m venv "$VENV"
    }
    "$VENV/bin/pip" install --quiet "openapi-generator-cli==$OAG_VERSION"
  fi
}

# Spec validation is kept on unless the generator refuses the spec with it,
# so the timing is of the ordinary invocation; the results say if it was needed.
OAG_ARGS=()
oag_generate() {
  rm -rf "${OAG_OUT:?}"
  "$VENV/bin/openapi-generator-cli" generate -g rust -i "$SPEC" -o "$OAG_OUT" "${OAG_ARGS[@]}"
}
oag_first_run() {
  if ! oag_generate >"$LOG" 2>&1; then
    grep -qi 'validation' "$LOG" || {
      cat "$LOG" >&2
      die "openapi-generator failed"
    }
    OAG_ARGS=(--skip-validate-spec)
    NOTES+=("openapi-generator rejected the spec in validation; timed with --skip-validate-spec")
    oag_generate >"$LOG" 2>&1 || {
      cat "$LOG" >&2
      die "openapi-generator failed even with --skip-validate-spec"
    }
  fi
  cp "$LOG" "$BENCH_DIR/oag-first.log"
}

# Unique crates in a package's dependency graph (itself included). cargo tree
# marks repeats with "(*)", which would otherwise count them twice.
crate_count() { (cd "$1" && cargo tree --prefix none | sed 's/ (\*)$//' | sort -u | wc -l); }

# ---------------------------------------------------------------- 1 + 2: fast

XTASK_MS=
fast() {
  note "building the xtask binary (a no-op when it is up to date)"
  cargo build --quiet -p xtask
  # Timed runs must take the unchanged path, and a stale committed file would
  # be rewritten by the first one: check first, which also warms the caches.
  target/debug/xtask codegen --check >"$LOG" 2>&1 || {
    cat "$LOG" >&2
    die "$CRATE/src/generated.rs is not what the spec generates; run cargo xtask codegen first"
  }

  note "1. target/debug/xtask codegen x $RUNS"
  local walls=() gens=() i line
  for ((i = 0; i < RUNS; i++)); do
    timed target/debug/xtask codegen
    line=$(grep '^codegen:' "$LOG") || die "no summary line in: $(cat "$LOG")"
    case $line in *" unchanged in "*) ;; *) die "expected an unchanged run: $line" ;; esac
    walls+=("$(ns_to_ms "$ELAPSED_NS")")
    gens+=("$(sed -n 's/.*generate \([0-9.]*\),.*/\1/p' <<<"$line")")
  done
  XTASK_MS=$(printf '%s\n' "${walls[@]}" | median)
  local gen
  gen=$(printf '%s\n' "${gens[@]}" | median)
  row "xtask codegen (binary), wall" "$XTASK_MS ms" "$(printf '%s\n' "${walls[@]}" | spread)" \
    "< 100 ms" "$(check "$XTASK_MS" '<' 100)"
  row "  generate step (from its summary)" "$gen ms" "$(printf '%s\n' "${gens[@]}" | spread)" \
    "< 20 ms" "$(check "$gen" '<' 20)"

  note "1. cargo xtask codegen x $RUNS"
  walls=()
  local blocked=0
  timed cargo xtask codegen # untimed in effect: warms cargo's own caches
  for ((i = 0; i < RUNS; i++)); do
    timed cargo xtask codegen
    # Another cargo holding the build-dir lock inflates the figure: say so.
    grep -q 'Blocking waiting' "$LOG" && blocked=$((blocked + 1))
    walls+=("$(ns_to_ms "$ELAPSED_NS")")
  done
  local cargo_ms
  cargo_ms=$(printf '%s\n' "${walls[@]}" | median)
  row "cargo xtask codegen, wall" "$cargo_ms ms" "$(printf '%s\n' "${walls[@]}" | spread)" "-" "-"
  [ "$blocked" -eq 0 ] || NOTES+=("$blocked of $RUNS 'cargo xtask codegen' runs waited on another cargo's lock")

  note "2. openapi-generator-cli $OAG_VERSION generate -g rust x $RUNS"
  setup_oag
  oag_first_run # untimed: JVM class-data and page-cache warm-up, and the validation decision
  walls=()
  for ((i = 0; i < RUNS; i++)); do
    rm -rf "${OAG_OUT:?}"
    timed "$VENV/bin/openapi-generator-cli" generate -g rust -i "$SPEC" -o "$OAG_OUT" "${OAG_ARGS[@]}"
    walls+=("$(ns_to_ms "$ELAPSED_NS")")
  done
  local oag_ms r
  oag_ms=$(printf '%s\n' "${walls[@]}" | median)
  r=$(ratio "$oag_ms" "$XTASK_MS")
  row "openapi-generator-cli generate, wall" "$oag_ms ms" "$(printf '%s\n' "${walls[@]}" | spread)" "-" "-"
  row "  openapi-generator / xtask binary" "${r}x" "-" ">= 20x" "$(check "$r" '>=' 20)"

  # Its warnings say what it made of the spec; worth seeing next to the figure.
  local warns
  warns=$(grep -E '\bWARN\b' "$LOG" | sed 's/^.*WARN  *//' | sort | uniq -c | sort -rn || true)
  [ -z "$warns" ] || NOTES+=("openapi-generator warnings (count, message):"$'\n'"$warns")
}

# ---------------------------------------------------------------- 3 + 4: builds

# The generated crate as a standalone package outside the workspace, with the
# workspace's exact dependency versions, so its build is what a user of just
# that crate would compile.
prepare_ours() {
  local dir=${BENCH_DIR:?}/ours
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r "${CRATE:?}"/. "$dir"/
  cp Cargo.lock "$dir"/
  # Each `key.workspace = true` takes the single-line value the root gives in
  # [workspace.package] / [workspace.dependencies]; `[lints] workspace = true`
  # goes (the lints are the workspace's, and do not change build time).
  awk '
    FNR == NR {
      if ($0 ~ /^\[/) { sec = $0; next }
      if ((sec == "[workspace.package]" || sec == "[workspace.dependencies]") && $0 ~ /^[A-Za-z0-9_-]+ *=/) {
        k = $0; sub(/ *=.*/, "", k); v = $0; sub(/^[^=]*= */, "", v); val[k] = v
      }
      next
    }
    /^\[/ { sec = $0; if (sec == "[lints]") next }
    sec == "[lints]" { next }
    /^[A-Za-z0-9_-]+\.workspace *= *true *$/ {
      k = $0; sub(/\.workspace.*/, "", k)
      if (!(k in val)) { print "no workspace value for " k > "/dev/stderr"; exit 1 }
      print k " = " val[k]; next
    }
    { print }
    END { print ""; print "[workspace]" }
  ' Cargo.toml "$CRATE/Cargo.toml" >"$dir/Cargo.toml"
  ! grep -q 'workspace *= *true' "$dir/Cargo.toml" || die "unhandled workspace inheritance in $dir/Cargo.toml"
}

builds() {
  # Theirs defaults to native-tls, which builds against the system OpenSSL.
  need_apt libssl-dev pkg-config
  setup_oag
  note "3. preparing both crates"
  oag_first_run
  # BENCH_DIR sits inside this workspace, and cargo would otherwise take the
  # generated crate for a stray member of it. An empty table changes nothing built.
  printf '\n[workspace]\n' >>"$OAG_OUT/Cargo.toml"
  prepare_ours
  # Resolve and download up front, so the timed builds measure compiling only.
  # Ours keeps the workspace's lock file; theirs gets the newest compatible versions.
  (cd "$BENCH_DIR/ours" && cargo fetch --quiet)
  (cd "$OAG_OUT" && cargo fetch --quiet)

  note "3. clean debug builds, alternating, x $BUILD_RUNS each"
  local ours=() theirs=() i t
  for ((i = 0; i < BUILD_RUNS; i++)); do
    # Alternating spreads machine noise over both sides evenly.
    for side in ours theirs; do
      local dir=$BENCH_DIR/ours
      [ "$side" = theirs ] && dir=$OAG_OUT
      t=$BENCH_DIR/target-$side
      rm -rf "${t:?}"
      timed env CARGO_TARGET_DIR="$t" cargo build --locked --manifest-path "$dir/Cargo.toml"
      note "   $side run $((i + 1)): $(ns_to_s "$ELAPSED_NS") s"
      if [ "$side" = ours ]; then ours+=("$(ns_to_s "$ELAPSED_NS")"); else theirs+=("$(ns_to_s "$ELAPSED_NS")"); fi
      rm -rf "$t"
    done
  done
  local o th r
  o=$(printf '%s\n' "${ours[@]}" | median)
  th=$(printf '%s\n' "${theirs[@]}" | median)
  r=$(ratio "$o" "$th")
  row "clean build, ours ($(crate_count "$BENCH_DIR/ours") crates)" "$o s" \
    "$(printf '%s\n' "${ours[@]}" | spread)" "-" "-"
  row "clean build, openapi-generator's ($(crate_count "$OAG_OUT") crates)" "$th s" \
    "$(printf '%s\n' "${theirs[@]}" | spread)" "-" "-"
  row "  ours / theirs" "${r}x" "-" "<= 1.0x" "$(check "$r" '<=' 1.0)"

  note "4. cold cargo xtask codegen in a fresh clone, x $BUILD_RUNS"
  local clone=${BENCH_DIR:?}/clone cold=()
  for ((i = 0; i < BUILD_RUNS; i++)); do
    # A new clone each run: only committed files, and nothing left from the last run.
    rm -rf "$clone" "$BENCH_DIR/target-clone"
    git clone -q "$ROOT" "$clone"
    (cd "$clone" && cargo fetch --quiet)
    timed env -C "$clone" CARGO_TARGET_DIR="$BENCH_DIR/target-clone" cargo xtask codegen
    note "   run $((i + 1)): $(ns_to_s "$ELAPSED_NS") s"
    cold+=("$(ns_to_s "$ELAPSED_NS")")
  done
  rm -rf "$clone" "$BENCH_DIR/target-clone"
  local c
  c=$(printf '%s\n' "${cold[@]}" | median)
  row "cold cargo xtask codegen (fresh clone, compile included)" "$c s" \
    "$(printf '%s\n' "${cold[@]}" | spread)" "< 90 s" "$(check "$c" '<' 90)"
}

# ---------------------------------------------------------------- 5: apps

# A binary crate outside the workspace, as a user starts one: `cargo new`, one dependency on a
# client (TLS choice $3), tokio, and a main that calls "Get a customer by id".
write_app() {
  local dir=$1 side=$2 tls=$3
  rm -rf "$dir"
  mkdir -p "$dir/src"
  local dep main
  if [ "$side" = ours ]; then
    case $tls in
      native-tls) dep="trustly-customers = { path = \"$ROOT/crates/trustly-customers\" }" ;;
      rustls) dep="trustly-customers = { path = \"$ROOT/crates/trustly-customers\", default-features = false, features = [\"rustls\"] }" ;;
    esac
    main='#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = trustly_customers::Client::from_env()?;
    let customer = client
        .get_customer(&trustly_customers::types::CustomerId::from("1002580963"))
        .await?;
    println!("{:?}", customer.customer_id);
    Ok(())
}'
  else
    case $tls in
      native-tls) dep="openapi = { path = \"$OAG_OUT\" }" ;;
      rustls) dep="openapi = { path = \"$OAG_OUT\", default-features = false, features = [\"rustls\"] }" ;;
    esac
    main='#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = openapi::apis::configuration::Configuration::new();
    config.basic_auth = Some((std::env::var("TRUSTLY_ACCESS_ID")?, std::env::var("TRUSTLY_ACCESS_KEY").ok()));
    let customer = openapi::apis::customers_api::get_customer(&config, "1002580963").await?;
    println!("{:?}", customer.customer.customer_id);
    Ok(())
}'
  fi
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "app-$side"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$dep
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
TOML
  printf '%s\n' "$main" >"$dir/src/main.rs"
  # Ours resolves as the workspace does; theirs gets the newest compatible versions, as a
  # user's would. Both are fetched before timing, so only compiling is measured.
  [ "$side" = ours ] && cp Cargo.lock "$dir/"
  (cd "$dir" && cargo fetch --quiet)
}

apps() {
  need_apt libssl-dev pkg-config
  setup_oag
  note "5. preparing the apps"
  oag_first_run
  printf '\n[workspace]\n' >>"$OAG_OUT/Cargo.toml"
  local tls side i t
  for tls in native-tls rustls; do
    for side in ours theirs; do
      write_app "$BENCH_DIR/app-$side-$tls" "$side" "$tls"
    done
  done
  note "5. clean debug builds of each app, alternating, x $BUILD_RUNS each"
  for tls in native-tls rustls; do
    local ours=() theirs=()
    for ((i = 0; i < BUILD_RUNS; i++)); do
      for side in ours theirs; do
        t=$BENCH_DIR/target-app
        rm -rf "${t:?}"
        timed env CARGO_TARGET_DIR="$t" cargo build --manifest-path "$BENCH_DIR/app-$side-$tls/Cargo.toml"
        note "   $tls $side run $((i + 1)): $(ns_to_s "$ELAPSED_NS") s"
        if [ "$side" = ours ]; then ours+=("$(ns_to_s "$ELAPSED_NS")"); else theirs+=("$(ns_to_s "$ELAPSED_NS")"); fi
      done
    done
    rm -rf "$BENCH_DIR/target-app"
    local o th r
    o=$(printf '%s\n' "${ours[@]}" | median)
    th=$(printf '%s\n' "${theirs[@]}" | median)
    r=$(awk -v a="$o" -v b="$th" 'BEGIN { printf "%.2f", a / b }')
    row "app on trustly-customers, $tls ($(crate_count "$BENCH_DIR/app-ours-$tls") crates)" "$o s" \
      "$(printf '%s\n' "${ours[@]}" | spread)" "-" "-"
    row "app on openapi-generator's crate, $tls ($(crate_count "$BENCH_DIR/app-theirs-$tls") crates)" "$th s" \
      "$(printf '%s\n' "${theirs[@]}" | spread)" "-" "-"
    row "  ours / theirs, $tls" "${r}x" "-" "<= 1.0x" "$(check "$r" '<=' 1.0)"
  done
}

# ---------------------------------------------------------------- 6: release

release() {
  note "6. release binaries, each profile from clean, x $BUILD_RUNS"
  local profile i t bin
  for profile in workspace default; do
    local times=()
    for ((i = 0; i < BUILD_RUNS; i++)); do
      t=$BENCH_DIR/target-release
      rm -rf "${t:?}"
      if [ "$profile" = workspace ]; then
        timed env CARGO_TARGET_DIR="$t" cargo build --locked --release -p trustly-customers-cli -p trustly-customers-mock
      else
        # cargo's own release defaults, overriding the workspace's [profile.release].
        timed env CARGO_TARGET_DIR="$t" CARGO_PROFILE_RELEASE_LTO=false \
          CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_STRIP=none \
          cargo build --locked --release -p trustly-customers-cli -p trustly-customers-mock
      fi
      note "   $profile run $((i + 1)): $(ns_to_s "$ELAPSED_NS") s"
      times+=("$(ns_to_s "$ELAPSED_NS")")
    done
    for bin in trustly-customers trustly-customers-mock; do
      row "$bin binary, $profile release profile" "$(($(stat -c %s "$t/release/$bin") / 1024)) KiB" "-" "-" "-"
    done
    row "  clean release build of both, $profile profile" "$(printf '%s\n' "${times[@]}" | median) s" \
      "$(printf '%s\n' "${times[@]}" | spread)" "-" "-"
    rm -rf "$t"
  done
}

# ---------------------------------------------------------------- main

note "$(nproc) cores, load average$(uptime | sed 's/.*load average//'), RUNS=$RUNS BUILD_RUNS=$BUILD_RUNS"
case $SECTION in
  fast) fast ;;
  builds) builds ;;
  apps) apps ;;
  release) release ;;
  all)
    fast
    builds
    apps
    release
    ;;
esac

# A load average well above zero before or after means the figures were contended.
note "load average after$(uptime | sed 's/.*load average//')"
echo
printf '%-58s %11s %15s %9s %7s\n' "measurement (median of runs)" "median" "min..max" "target" "verdict"
printf '%s\n' "${ROWS[@]}" | awk -F'\t' '{ printf "%-58s %11s %15s %9s %7s\n", $1, $2, $3, $4, $5 }'
for n in "${NOTES[@]}"; do printf '\nnote: %s\n' "$n"; done
