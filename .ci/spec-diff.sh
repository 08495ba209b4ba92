#!/usr/bin/env bash
# The spec diff in CI: when openapi/customers.yaml differs from the base of this change, print
# `cargo xtask diff BASE --require-changelog` (also into the GitHub job summary when there is
# one), and fail when something breaking is not recorded in CHANGELOG.md under the next version.
#
# The base is the merge base with the main branch for a branch or a pull request, and HEAD~1 on
# main itself (`.ci/base.sh`).
set -euo pipefail
cd "$(dirname "$0")/.."

spec=openapi/customers.yaml
base=$(.ci/base.sh)
if [ -z "$base" ]; then
  echo "spec diff: no earlier commit to compare with"
  exit 0
fi

if git diff --quiet "$base" -- "$spec"; then
  echo "spec diff: $spec is unchanged since $base"
  exit 0
fi

report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
cargo xtask diff "$base" --require-changelog >"$report" || status=$?
cat "$report"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$report" >>"$GITHUB_STEP_SUMMARY"
fi
case $status in
  0) ;;
  1) echo "spec diff: a breaking change is not recorded in CHANGELOG.md under the next version" >&2 ;;
  *) echo "spec diff: the comparison failed (exit $status)" >&2 ;;
esac
exit "$status"
