#!/usr/bin/env bash
# Mutation testing of the code that guards money and privacy: cargo-mutants changes one thing
# at a time (a condition negated, a match arm deleted, a function made to return a default)
# and runs the tests that cover it; a mutant no test notices ("missed") is a safety promise the
# suite does not back. The outcome is recorded, with every survivor explained, in mutants.md.
#
#   .ci/mutants.sh            the client's retry decision and error classification (about
#                             35 minutes on two cores: the pre-merge check for changes to
#                             them; too long for .ci/run)
#   .ci/mutants.sh --all      and every other module that guards money or privacy
#   .ci/mutants.sh NAME...    only the scopes named (client-safety, client-redaction,
#                             api-guards, emulator-store, emulator-log, lint)
#   .ci/mutants.sh --changed  only the mutants on lines changed since the base of this change
#                             (.ci/base.sh), in every scope whose files the change touches: the
#                             step of .ci/run that keeps a later change from leaving guarded
#                             code untested (seconds when no such file changed)
#
# MUTANTS_OPTIONS adds cargo-mutants options to every scope: MUTANTS_OPTIONS=--iterate tests
# again only the mutants the last run of a scope did not catch.
#
# Mutants are applied in place (`--in-place`: the working tree is changed and restored one
# mutant at a time), so nothing else may edit or build the checkout during a run. Results,
# and the reason for each mutant left alive, are in .ci/mutants.md; those mutants are excluded
# in .cargo/mutants.toml, so the script fails when any other mutant survives.
#
# cargo-mutants is pinned and installed from crates.io under target/, reused while it holds
# that version. Its output goes to target/mutants.out/ (one per scope).
set -euo pipefail
cd "$(dirname "$0")/.."

MUTANTS_VERSION=27.1.0
ROOT=target/cargo-mutants
BIN=$ROOT/bin/cargo-mutants

# Installed on first need: a --changed run that touches no scope needs no cargo-mutants.
install() {
  if [ "$("$BIN" mutants --version 2>/dev/null)" != "cargo-mutants $MUTANTS_VERSION" ]; then
    echo "== installing cargo-mutants $MUTANTS_VERSION into $ROOT"
    cargo install --quiet --locked --root "$ROOT" cargo-mutants --version "$MUTANTS_VERSION"
  fi
}

# Which scopes run: client-safety alone by default, every scope with --all or --changed, or the
# scopes named. With --changed, only the mutants of the lines changed since BASE.
SCOPES=("$@")
BASE=""
if [ "${SCOPES[*]:-}" = "--changed" ]; then
  BASE=$(.ci/base.sh)
  if [ -z "$BASE" ]; then
    echo "mutants: no earlier commit to compare with"
    exit 0
  fi
  # Each mutant rebuilds the mutated crate: incrementally, as a developer's run would, whatever
  # the rest of CI chose for its one build of everything.
  export CARGO_INCREMENTAL=1
fi
wanted() {
  case "${SCOPES[*]:-client-safety}" in
    --all | --changed) return 0 ;;
  esac
  local s
  for s in "${SCOPES[@]:-client-safety}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# scope NAME PACKAGE FILE... [OPTIONS] [-- TEST ARGS]: one cargo-mutants run over FILEs of PACKAGE,
# running PACKAGE's tests (or the packages and tests the options and test arguments select).
scope() {
  local name=$1 package=$2
  shift 2
  local files=() paths=() changed=()
  while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do files+=(--file "$1"); paths+=("$1"); shift; done
  if ! wanted "$name"; then return 0; fi
  mkdir -p target/mutants.out
  if [ -n "$BASE" ]; then
    local diff=target/mutants.out/$name.diff
    git diff "$BASE" -- "${paths[@]}" >"$diff"
    if [ ! -s "$diff" ]; then
      echo "== mutants: $name: none of its files changed since $BASE"
      return 0
    fi
    changed=(--in-diff "$diff")
  fi
  install
  echo "== mutants: $name${BASE:+ (the lines changed since $BASE)}"
  # A scope with survivors exits non-zero; the other scopes still run, and the script fails
  # at the end.
  # Mutants come from the files named; `--package` would also confine the tests to its
  # package, so it is given only when the tests are its own. cargo-mutants 27.1 runs its
  # unmutated baseline with the mutated package's tests whatever is asked, so where the tests
  # are another package's the baseline is skipped (.ci/run runs those tests unmutated) and
  # the timeout is given instead of measured.
  local only=(--package "$package" --timeout-multiplier 3)
  case " $* " in
    *" --test-workspace=true "*) only=(--baseline=skip --timeout 180) ;;
  esac
  # shellcheck disable=SC2086 # MUTANTS_OPTIONS is a list of options
  "$BIN" mutants --in-place --no-shuffle "${only[@]}" "${files[@]}" "${changed[@]}" \
    --output "target/mutants.out/$name" --colors never ${MUTANTS_OPTIONS:-} "$@" || {
    # Exit 3: some mutant hung the tests until the timeout (it counts as caught). cargo-mutants
    # 27.1 exits 3 when there is a timeout even if other mutants were missed, so a scope
    # passes only with an empty list of missed mutants.
    local status=$?
    if [ "$status" -ne 3 ] || [ -s "target/mutants.out/$name/mutants.out/missed.txt" ]; then
      FAILED+=("$name")
    fi
  }
  # A mutant is unviable when the crate it mutates does not compile. A build that failed for
  # another reason (a dependency that did not compile: a full disk, a broken toolchain) tested
  # nothing, yet cargo-mutants 27.1 counts it unviable too, and without a baseline exits 0.
  local logs=target/mutants.out/$name/mutants.out/log broken
  broken=$( (grep -l "No space left on device" "$logs"/*.log
    grep -l "could not compile" "$logs"/*.log | xargs -r grep -L "could not compile \`$package\`") \
    2>/dev/null | sort -u) || true
  if [ -n "$broken" ]; then
    echo "mutants: $name: builds that failed outside $package, so their mutants were not tested:" >&2
    echo "$broken" >&2
    FAILED+=("$name")
  fi
}
FAILED=()

# The tests that exercise these modules; the others (examples, the emulator end to end) add
# link time to every mutant and catch nothing these do not.
scope client-safety trustly-customers \
  crates/trustly-customers/src/retry.rs \
  crates/trustly-customers/src/retry_after.rs \
  crates/trustly-customers/src/call.rs \
  crates/trustly-customers/src/error.rs \
  -- --lib --test retries --test errors --test wire --test path_ids --test redaction \
  --test echoed_secrets

# The redactor of the credentials, what it is made from (the credentials) and what it is
# applied to besides the error (the causes, the excerpts of undecodable bodies), and the
# configuration's secrets.
scope client-redaction trustly-customers \
  crates/trustly-customers/src/redact.rs \
  crates/trustly-customers/src/credentials.rs \
  crates/trustly-customers/src/cause.rs \
  crates/trustly-customers/src/excerpt.rs \
  crates/trustly-customers/src/config.rs \
  -- --lib --test errors --test redaction --test echoed_secrets --test wire --test proxy
# Patch serialization (Nullable), the generated Debug impls' redaction, the request settings
# and hooks (credentials, user agent, timeout, the response observer, the response size cap),
# the path guard, and the head of a failed response: the unit tests, the generated crate's own
# (path_guard.rs, failed_response.rs), the generated surface's (passes.rs), the client's log,
# wire and error tests, and both emulator suites. (Tests from
# other packages are chosen through the workspace: cargo-mutants 27.1 runs only the mutated
# package's tests when given --package or --test-package. `-C` narrows both the build and the
# run to the targets named; after `--` it would narrow only the run, and every test target of
# the workspace would be built for every mutant.)
scope api-guards trustly-customers-api \
  crates/trustly-customers-api/src/nullable.rs \
  crates/trustly-customers-api/src/redact.rs \
  crates/trustly-customers-api/src/settings.rs \
  crates/trustly-customers-api/src/hooks.rs \
  crates/trustly-customers-api/src/body_limit.rs \
  crates/trustly-customers-api/src/path_segment.rs \
  crates/trustly-customers-api/src/response.rs \
  crates/trustly-customers-api/src/failed_response.rs \
  --test-workspace=true -C --lib -C --test=passes -C --test=redaction -C --test=wire \
  -C --test=errors -C --test=emulator -C --test=path_guard -C --test=failed_response
# The emulator's store rules (ids, conflicts, create-or-update, the records it keeps and loads)
# and its persistence (the save journal, group commit, the data file, its lock and its earlier
# format): the unit tests, the data file's (persistence.rs), a reset's deletion from it
# (reset.rs), and kill -9 in the middle of a load or of a reset (kill.rs).
scope emulator-store trustly-customers-mock \
  crates/trustly-customers-mock/src/store.rs \
  crates/trustly-customers-mock/src/record.rs \
  crates/trustly-customers-mock/src/load.rs \
  crates/trustly-customers-mock/src/journal.rs \
  crates/trustly-customers-mock/src/persist.rs \
  crates/trustly-customers-mock/src/data_file.rs \
  crates/trustly-customers-mock/src/data_file/database.rs \
  crates/trustly-customers-mock/src/data_file/json_v1.rs \
  crates/trustly-customers-mock/src/data_file/lock.rs \
  crates/trustly-customers-mock/src/data_file/paths.rs \
  -- --lib --test persistence --test reset --test kill
# The mutant that empties `backup_path` copies the JSON file it migrates to `.tmp` beside the
# tests (`FILE.tmp` of an empty name) before it fails.
rm -f crates/trustly-customers-mock/.tmp
# The emulator's per-request log, which must never hold a body, a query, a header's value or a
# personal value: its line's fields (the unit tests) and the binary's log of requests carrying
# personal values in every place (cli.rs).
scope emulator-log trustly-customers-mock \
  crates/trustly-customers-mock/src/admin/access_log.rs \
  -- --lib --test cli
# The lint's rules, the conventions' among them: every fixture in tests/fixtures/bad-specs is
# refused with its message (bad_specs.rs), every fixture in tests/fixtures/good-specs passes
# (accepted.rs), and so does the project's spec (codegen.rs).
scope lint xtask xtask/src/lint.rs xtask/src/lint/conventions.rs xtask/src/lint/objects.rs \
  xtask/src/lint/known_values.rs \
  --test-workspace=true -C --test=bad_specs -C --test=accepted -C --test=codegen

if [ ${#FAILED[@]} -gt 0 ]; then
  echo "mutants: survivors or failures in: ${FAILED[*]} (target/mutants.out/<scope>/mutants.out/missed.txt)" >&2
  exit 1
fi
