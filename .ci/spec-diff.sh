#!/usr/bin/env bash
# The spec diff in CI: when openapi/customers.yaml differs from the base of this change, print
# `cargo xtask diff BASE --require-changelog` (also into the GitHub job summary when there is
# one), and fail when something breaking is not recorded in CHANGELOG.md under the next version.
#
# The base is the merge base with the main branch for a branch or a pull request, and HEAD~1 on
# main itself (or when no main branch is known).
set -euo pipefail
cd "$(dirname "$0")/.."

spec=openapi/customers.yaml
base=""
branch=$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo HEAD)
if [ -n "${GITHUB_BASE_REF:-}" ] && git rev-parse -q --verify "origin/$GITHUB_BASE_REF" >/dev/null; then
  base=$(git rev-parse --short=12 "$(git merge-base HEAD "origin/$GITHUB_BASE_REF")")
elif [ "$branch" != main ]; then
  for main in origin/main main; do
    if git rev-parse -q --verify "$main" >/dev/null; then
      base=$(git rev-parse --short=12 "$(git merge-base HEAD "$main")")
      break
    fi
  done
fi
if [ -z "$base" ] || [ "$base" = "$(git rev-parse --short=12 HEAD)" ]; then
  if git rev-parse -q --verify HEAD~1 >/dev/null; then
    base=$(git rev-parse --short=12 HEAD~1)
  else
    echo "spec diff: no earlier commit to compare with"
    exit 0
  fi
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
