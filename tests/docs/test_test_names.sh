#!/usr/bin/env bash
# A ';' in a Catch2 test name makes catch_discover_tests split it into two CTest tests that
# match nothing and pass silently. None may have one.
#   test_test_names.sh SOURCE_DIR
bad=$(grep -rnE 'TEST_CASE\("[^"]*;' "$1/tests" --include='*.cpp')
[ -z "$bad" ] && { echo "no test name contains ';'"; exit 0; }
echo "FAIL: test names with ';':"; echo "$bad"; exit 1
