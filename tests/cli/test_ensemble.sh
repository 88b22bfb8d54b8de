#!/usr/bin/env bash
# End-to-end tests of ensembles: thread counts give the same bytes; a run killed with SIGKILL
# leaves no file at the final path and a .tmp that --resume completes into the same bytes as an
# uninterrupted run; SIGINT stops cleanly (exit 130) and is resumable too.
#   test_ensemble.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$1 src=$2
small=$src/tests/fixtures/small_config.toml
n=400

run "uninterrupted, 2 threads" 0 "$bin" run "$small" -o "$tmp/full.h5" --replicates $n --threads 2 -q --no-progress
run "uninterrupted, 1 thread" 0 "$bin" run "$small" -o "$tmp/one.h5" --replicates $n --threads 1 -q --no-progress
cmp -s "$tmp/full.h5" "$tmp/one.h5" && echo "ok   [1 and 2 threads: identical bytes]" ||
  { echo "FAIL: 1 and 2 threads differ"; fails=$((fails + 1)); }

# Wait until a run's .tmp holds at least K complete replicates (or the run ended).
wait_for_replicates() {
  local file=$1 k=$2 pid=$3
  for _ in $(seq 1 1200); do
    kill -0 "$pid" 2>/dev/null || return 0
    got=$(HDF5_USE_FILE_LOCKING=FALSE h5dump -a /replicates_complete "$file" 2>/dev/null | awk '/\(0\)/{print $2}')
    [ -n "$got" ] && [ "$got" -ge "$k" ] && return 0
    sleep 0.05
  done
}

# SIGKILL in the middle, then --resume.
"$bin" run "$small" -o "$tmp/killed.h5" --replicates $n --threads 1 -q --no-progress 2>/dev/null &
pid=$!
wait_for_replicates "$tmp/killed.h5.tmp" 10 $pid
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ ! -e "$tmp/killed.h5" ] && [ -e "$tmp/killed.h5.journal" ] && echo "ok   [kill -9 leaves no result, a journal to resume from]" ||
  { echo "FAIL: after kill -9: $(ls "$tmp")"; fails=$((fails + 1)); }
run "resume after kill -9" 0 "$bin" run "$small" -o "$tmp/killed.h5" --replicates $n --threads 2 -q --log-level info --no-progress --resume
expect resume "recovered from the interrupted run" "$err"
cmp -s "$tmp/full.h5" "$tmp/killed.h5" && echo "ok   [resumed file identical to the uninterrupted one]" ||
  { echo "FAIL: resumed file differs"; fails=$((fails + 1)); }
[ ! -e "$tmp/killed.h5.tmp" ] && [ ! -e "$tmp/killed.h5.journal" ] || { echo "FAIL: leftovers after resume"; fails=$((fails + 1)); }

# SIGINT: a clean stop with exit code 130, then --resume.
"$bin" run "$small" -o "$tmp/int.h5" --replicates $n --threads 2 -q --log-level info --no-progress 2>"$tmp/int.err" &
pid=$!
wait_for_replicates "$tmp/int.h5.tmp" 10 $pid
kill -INT $pid; wait $pid; rc=$?
[ $rc = 130 ] && echo "ok   [SIGINT exits 130]" || { echo "FAIL: SIGINT exit code $rc"; cat "$tmp/int.err"; fails=$((fails + 1)); }
grep -q "continue with --resume" "$tmp/int.err" || { echo "FAIL: no resume hint"; fails=$((fails + 1)); }
run "resume after SIGINT" 0 "$bin" run "$small" -o "$tmp/int.h5" --replicates $n -q --no-progress --resume
cmp -s "$tmp/full.h5" "$tmp/int.h5" && echo "ok   [resumed after SIGINT: identical]" ||
  { echo "FAIL: resumed after SIGINT differs"; fails=$((fails + 1)); }

# A journal from another seed is not resumed.
"$bin" run "$small" -o "$tmp/mix.h5" --replicates $n --seed 7 -q --no-progress 2>/dev/null &
pid=$!
wait_for_replicates "$tmp/mix.h5.tmp" 5 $pid
kill -INT $pid; wait $pid
run "resume refuses another seed" 64 "$bin" run "$small" -o "$tmp/mix.h5" --replicates $n -q --resume
expect refuse "comes from another scenario, seed" "$err"
finish
