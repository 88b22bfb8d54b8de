#!/usr/bin/env bash
# A real single-node Slurm cluster runs an ensemble as a 4-shard job array plus a dependent merge
# job (tools/slurm/submit-ensemble); the merged file equals the single-process run byte for byte.
# Then one shard is lost and re-run alone (sbatch --array=2), merged again, and still equal.
# If Slurm cannot start, the test says why and fails.
#   test_slurm.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/../cli/cli_test_lib.sh"
. "$(dirname "$0")/slurm_cluster.sh"
bin=$(readlink -f "$1") src=$(cd "$2" && pwd)
trap 'stop_slurm; rm -rf "$tmp"' EXIT

start_slurm "$tmp/slurm" || { echo "FAIL: the Slurm test cluster could not start"; exit 1; }
export ISKABM=$bin
cd "$tmp" || exit 1
scenario=$src/scenarios/baseline_2015_2018.toml

run "single-process run" 0 "$bin" run "$scenario" -o "$tmp/single.h5" --replicates 12 -q --no-progress

run "submit array + merge" 0 "$src/tools/slurm/submit-ensemble" "$scenario" "$tmp/cluster.h5" 4 \
  --sbatch "--cpus-per-task=1" --replicates 12
array=$(awk '$1 == "array" {print $2}' <<<"$out") merge=$(awk '$1 == "merge" {print $2}' <<<"$out")
[ -n "$array" ] && [ -n "$merge" ] || { echo "FAIL: no job ids in: $out"; exit 1; }
wait_for_jobs "$array" "$merge" || fails=$((fails + 1))
states=$(scontrol show job "$array" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ')
expect "4 array tasks completed" " 4 JobState=COMPLETED" "$states"
expect "merge completed" "COMPLETED" "$(job_state "$merge")"
for k in 0 1 2 3; do
  [ -s "$tmp/cluster.shard-$k-of-4.h5" ] || { echo "FAIL: shard $k missing"; fails=$((fails + 1)); }
  grep -q "iskabm shard $k/4" "$tmp"/iskabm-shard-"$array"_"$k".log || { echo "FAIL: log of task $k"; fails=$((fails + 1)); }
done
cmp "$tmp/single.h5" "$tmp/cluster.h5" && echo "ok   [merged array output = single-process run]" \
  || { echo "FAIL: merged output differs"; cat "$tmp"/iskabm-merge-*.log; fails=$((fails + 1)); }

# A lost shard is re-run alone, then merged again: the same bytes.
rm -f "$tmp/cluster.h5" "$tmp/cluster.shard-2-of-4.h5"
rerun=$(sbatch --parsable --cpus-per-task=1 --array=2 "$src/tools/slurm/ensemble.sbatch" "$scenario" "$tmp/cluster.h5" 4 --replicates 12)
remerge=$(sbatch --parsable --cpus-per-task=1 --dependency=afterok:"$rerun" --kill-on-invalid-dep=yes "$src/tools/slurm/merge.sbatch" "$tmp/cluster.h5" 4)
wait_for_jobs "$rerun" "$remerge" || fails=$((fails + 1))
expect "re-run shard completed" "COMPLETED" "$(job_state "$rerun")"
cmp "$tmp/single.h5" "$tmp/cluster.h5" && echo "ok   [shard 2 re-run alone, merged again: equal]" \
  || { echo "FAIL: output after re-running shard 2 differs"; fails=$((fails + 1)); }

# A failing shard stops the merge (afterok): no output, the merge job never runs.
rm -f "$tmp/cluster.h5"
run "submit with a bad option" 0 "$src/tools/slurm/submit-ensemble" "$scenario" "$tmp/bad.h5" 2 \
  --sbatch "--cpus-per-task=1" --replicates 12 --no-such-option
bad_array=$(awk '$1 == "array" {print $2}' <<<"$out") bad_merge=$(awk '$1 == "merge" {print $2}' <<<"$out")
wait_for_jobs "$bad_array" "$bad_merge" || fails=$((fails + 1))
expect "failed shard" "FAILED" "$(job_state "$bad_array")"
[ ! -e "$tmp/bad.h5" ] && echo "ok   [no merged output after a failed shard]" || { echo "FAIL: merged despite a failed shard"; fails=$((fails + 1)); }
finish
