#!/usr/bin/env bash
# The spec-spine drill, on a scratch copy of the project: add two properties (`loyaltyTier`,
# and `secondaryEmail`, personal) to every schema that has `taxId` and a copy of "Get a customer
# by id" at /customers/{customerId}/notes (`getCustomerNotes`), run `cargo xtask codegen`, and
# with no other edit:
#
#   - before codegen, a build of the generated crate stops with one line saying to run it;
#   - every test passes once the surface snapshot is accepted, and its diff shows the two
#     properties and the operation;
#   - the drill's literal checks pass (crates/trustly-customers-cli/tests/drill.rs): the CLI's
#     upsert and get round-trip both properties through the emulator, Debug shows the tier and
#     hides the email, `upsert`, `replace` and `update --help` list both (the email personal),
#     `get-customer-notes 42` sends an authenticated GET and prints the answer;
#   - the CI spec diff (.ci/spec-diff.sh) fails the change, which breaks Rust users, until
#     CHANGELOG.md records it under the next version, and writes its report to the job summary.
#
#   .ci/drill.sh
#
# The copy is the project's files as they are in the working tree (what git ignores left out),
# under target/drill/project; it builds in target/drill/target, kept between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scratch=$root/target/drill/project
export CARGO_TARGET_DIR=$root/target/drill/target
step() { printf '\n== drill: %s\n' "$*"; }
# Runs a command with its output kept aside: shown whole if it fails, its test totals if not.
quietly() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log"
    echo "drill: failed: $*" >&2
    exit 1
  fi
  awk '/^test result:/ { p += $4; f += $6; i += $8 } END { if (NR) printf "%d passed, %d failed, %d ignored\n", p, f, i }' "$log"
  rm -f "$log"
}

step "copying the project to $scratch"
rm -rf "$scratch"
mkdir -p "$scratch"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$scratch"
cd "$scratch"
# A repository of its own, so the CI spec diff can compare with the commit before the change.
git_() { git -c user.name=drill -c user.email=drill@localhost -c commit.gpgsign=false "$@"; }
git_ init -q -b main
git_ add -A
git_ commit -q -m "before the drill"

step "changing the spec"
cargo run --locked --quiet -p workspace-tests --bin drill_spec -- openapi/customers.yaml

step "a build before codegen stops, saying what to run"
if out=$(cargo build --locked --quiet -p trustly-customers-api 2>&1); then
  echo "drill: the generated crate built although the spec changed after codegen" >&2
  exit 1
fi
printf '%s\n' "$out"
stale='the spec changed since the code was generated: run `cargo xtask codegen`'
if ! grep -qF -- "$stale" <<<"$out"; then
  echo "drill: the failed build does not say: $stale" >&2
  exit 1
fi

step "cargo xtask codegen"
cargo xtask codegen

step "cargo test --workspace, accepting the surface snapshot"
snapshot=tests/tests/snapshots/surface__generated_surface.snap
cp "$snapshot" "$scratch/../surface.before"
# Snapshots are written, not compared, for this run only; a failing test still fails it.
quietly env -u CI INSTA_UPDATE=always cargo test --workspace --locked --no-fail-fast

step "the surface snapshot's diff"
diff=$(diff -u "$scratch/../surface.before" "$snapshot" || true)
printf '%s\n' "$diff"
for expected in 'loyalty_tier: Nullable<String>  (json "loyaltyTier")' \
                'secondary_email: Nullable<String>  (json "secondaryEmail", personal: Debug hides it)' \
                'get_customer_notes: GET /customers/{customerId}/notes'; do
  if ! grep '^+' <<<"$diff" | grep -qF -- "$expected"; then
    echo "drill: the snapshot diff does not show: $expected" >&2
    exit 1
  fi
done

step "the drill's own checks"
quietly cargo test --locked -p trustly-customers-cli --test drill -- --ignored

step "the CI spec diff refuses the change until CHANGELOG.md records it"
# Two properties on a struct with public fields break Rust users, so the change needs an entry.
git_ add -A
git_ commit -q -m "the drill's spec change"
summary=$scratch/../step-summary.md
rm -f "$summary"
status=0
out=$(GITHUB_STEP_SUMMARY=$summary .ci/spec-diff.sh 2>&1) || status=$?
printf '%s\n' "$out"
if [ "$status" -ne 1 ]; then
  echo "drill: the spec diff exited $status, not 1, for an unrecorded breaking change" >&2
  exit 1
fi
for expected in '**Not recorded.**' '`Customer.loyaltyTier`' 'types::Customer.loyalty_tier' \
                'GET /customers/{customerId}/notes (getCustomerNotes)'; do
  if ! grep -qF -- "$expected" <<<"$out" || ! grep -qF -- "$expected" "$summary"; then
    echo "drill: the spec diff (or the job summary) does not show: $expected" >&2
    exit 1
  fi
done
sed -i 's/^## \[Unreleased\]$/&\n\n### Changed\n\n- **Breaking:** `Customer` gains `loyaltyTier` and `secondaryEmail`./' CHANGELOG.md
# Recorded in the same change (a pull request's commits together; here, one commit).
git_ commit -q -a --amend --no-edit
out=$(.ci/spec-diff.sh 2>&1) || {
  printf '%s\n' "$out"
  echo "drill: the spec diff still fails with the change recorded" >&2
  exit 1
}
if ! grep -qF 'Recorded in CHANGELOG.md under `[Unreleased]`' <<<"$out"; then
  printf '%s\n' "$out"
  echo "drill: the spec diff does not say the change is recorded" >&2
  exit 1
fi
echo "spec diff: recorded, passes"
echo "drill: passed"
