#!/usr/bin/env bash
# Installs the shells whose completion scripts the CLI's tests run (bash, zsh, fish), from
# Debian's packages, when one is missing: crates/trustly-customers-cli/tests/completions.rs runs
# each shell on the script the binary prints, and under CI (CI=true) fails rather than skip a
# shell that is not there.
set -euo pipefail

missing=()
for shell in bash zsh fish; do
  command -v "$shell" >/dev/null 2>&1 || missing+=("$shell")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} (the completion tests run them)"
  sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
