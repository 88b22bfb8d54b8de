#!/usr/bin/env bash
# docs/output.md's variable table must be exactly what the output schema generates.
#   test_output_schema.sh BUILD/iskabm SOURCE_DIR
set -u
bin=$1 src=$2
generated=$("$bin" schema --markdown) || { echo "FAIL: iskabm schema --markdown"; exit 1; }
documented=$(sed -n '/<!-- schema:begin/,/<!-- schema:end -->/p' "$src/docs/output.md" | sed '1d;$d')
if [ "$generated" != "$documented" ]; then
  echo "FAIL: docs/output.md's variable table differs from the code; regenerate it with"
  echo "  build/iskabm schema --markdown"
  diff <(echo "$documented") <(echo "$generated") | head -20
  exit 1
fi
echo "docs/output.md variable table matches the schema ($(echo "$generated" | tail -n +3 | wc -l) variables)"
