#!/usr/bin/env bash
# docs/ODD.md's parameter table must be exactly what the code generates.
#   test_odd_parameters.sh BUILD/iskabm SOURCE_DIR
set -u
bin=$1 src=$2
generated=$("$bin" parameters --markdown) || { echo "FAIL: iskabm parameters --markdown"; exit 1; }
documented=$(sed -n '/<!-- parameters:begin/,/<!-- parameters:end -->/p' "$src/docs/ODD.md" | sed '1d;$d')
if [ "$generated" != "$documented" ]; then
  echo "FAIL: docs/ODD.md's parameter table differs from the code; regenerate it with"
  echo "  build/iskabm parameters --markdown"
  diff <(echo "$documented") <(echo "$generated") | head -20
  exit 1
fi
echo "docs/ODD.md parameter table matches the code ($(echo "$generated" | tail -n +3 | wc -l) parameters)"
