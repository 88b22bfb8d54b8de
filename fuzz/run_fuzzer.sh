#!/usr/bin/env bash
# Runs one libFuzzer harness for a bounded number of inputs, starting from its seed corpus:
#   run_fuzzer.sh FUZZER HARNESS SOURCE_DIR RUNS
# Seeds: the shipped files the reader is meant for, plus every regression input kept in
# fuzz/regressions/HARNESS/ (each replayed first: a regression that crashes again fails at once).
set -euo pipefail
fuzzer=$1 harness=$2 src=$3 runs=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/iskabm-fuzz-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
case $harness in
  scenario) cp "$src"/scenarios/*.toml "$src"/tests/fixtures/small_config.toml "$work/corpus/" ;;
  csv) find "$src/data" -name '*.csv' -size -64k -exec cp {} "$work/corpus/" \; ;;
  posterior_csv) cp "$src/calibration/default_posterior.csv" "$work/corpus/" ;;
  result_file) head -c 4096 /dev/urandom >"$work/corpus/random" ;;
esac
if [ -d "$src/fuzz/regressions/$harness" ] && [ -n "$(ls -A "$src/fuzz/regressions/$harness")" ]; then
  "$fuzzer" "$src/fuzz/regressions/$harness"/*  # replay: exits non-zero on a crash
  cp "$src/fuzz/regressions/$harness"/* "$work/corpus/"
fi
cd "$work"  # crash-* files land here, reported below
if ! "$fuzzer" -runs="$runs" -max_len=65536 -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 "$work/corpus"; then
  echo "FAIL: $harness found a crash; the input (keep it in fuzz/regressions/$harness/ once fixed):"
  ls "$work"/crash-* "$work"/timeout-* "$work"/oom-* 2>/dev/null || true
  for f in "$work"/crash-* "$work"/timeout-* "$work"/oom-*; do [ -f "$f" ] && base64 "$f"; done
  exit 1
fi
