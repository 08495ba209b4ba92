#!/usr/bin/env bash
# Trustly's published document (tests/fixtures/trustly/customers.yaml) as the tools that check
# the emulator and the client against it can read it: Prism (.ci/interop.sh) and schemathesis
# (.ci/schemathesis.sh) read OpenAPI 3.0 and 3.1, not 3.2. `cargo xtask drift` reads the
# document as published; only these tools get the copy.
#
#   .ci/trustly-for-tools.sh        writes target/trustly-for-tools/customers.yaml, prints its path
#
# Each normalization is one line of NORMALIZATIONS: the line as published, the line written, and
# why the meaning is the same. A line that is not in the document exactly once fails the script,
# so a change of Trustly's document cannot slip past a normalization unseen.
set -euo pipefail
cd "$(dirname "$0")/.."

PUBLISHED=tests/fixtures/trustly/customers.yaml
OUT_DIR=target/trustly-for-tools
OUT=$OUT_DIR/customers.yaml

# published line | written line | why the meaning is the same
NORMALIZATIONS=(
  "openapi: 3.2.0|openapi: 3.0.3|the document uses nothing that 3.2 or 3.1 read otherwise than 3.0: no type arrays, no const, no examples lists; its one \$ref with a key beside it (customData's description) is text, which 3.0 ignores"
)

mkdir -p "$OUT_DIR"
text=$(cat "$PUBLISHED")
for normalization in "${NORMALIZATIONS[@]}"; do
  IFS='|' read -r from to _why <<<"$normalization"
  count=$(grep -c -x -F -- "$from" "$PUBLISHED" || true)
  if [ "$count" -ne 1 ]; then
    echo "trustly-for-tools.sh: \`$from\` is in $PUBLISHED $count times, not once: review the normalizations" >&2
    exit 1
  fi
  text=$(printf '%s\n' "$text" | awk -v from="$from" -v to="$to" '$0 == from { print to; next } { print }')
done
printf '%s\n' "$text" >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$OUT"
