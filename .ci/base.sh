#!/usr/bin/env bash
# Prints the revision a change is measured from, for the CI steps that look only at what changed
# (.ci/spec-diff.sh, .ci/mutants.sh --changed): the merge base with the main branch for a branch
# or a pull request, and HEAD~1 on main itself (or when no main branch is known). Prints nothing
# when there is no earlier commit.
set -euo pipefail
cd "$(dirname "$0")/.."

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
    base=""
  fi
fi
echo "$base"
