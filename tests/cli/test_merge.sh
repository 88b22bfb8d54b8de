#!/usr/bin/env bash
# End-to-end tests of `iskabm run --shard K/N` and `iskabm merge`: the shards of an ensemble,
# merged in any order, give the very bytes of the single run (posterior-driven, --no-posterior,
# uneven shards, an offset --first-replicate, plain adjacent ranges); inputs that do not belong
# together, leave gaps, overlap, are truncated or incomplete are refused with the file named,
# and a failed merge leaves no output.
#   test_merge.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$(realpath "$1") src=$2
r=20  # crosses the writer's 16-replicate flush blocks

same() {  # same NAME A B: the files are byte-identical
  cmp -s "$2" "$3" && echo "ok   [$1]" || { echo "FAIL [$1]: $2 and $3 differ"; fails=$((fails + 1)); }
}
nothing_left() {  # nothing_left NAME OUT: no output and no .tmp
  [ ! -e "$2" ] && [ ! -e "$2.tmp" ] && echo "ok   [$1: nothing written]" ||
    { echo "FAIL [$1]: output left behind: $(ls "$(dirname "$2")")"; fails=$((fails + 1)); }
}
attribute() { h5dump -a "/$1" "$2" 2>/dev/null | awk -F': ' '/\(0\)/{print $2}' | tr -d '"'; }
quiet=(-q --log-level info --no-progress)  # -q alone prints only errors; these tests read the log

# The baseline with its shipped posterior, whole and as 4 and 3 (uneven) shards.
run "whole run" 0 "$bin" run --replicates $r -o "$tmp/whole.h5" "${quiet[@]}"
for k in 0 1 2 3; do
  run "shard $k/4" 0 "$bin" run --replicates $r --shard $k/4 -o "$tmp/s4-$k.h5" "${quiet[@]}" --threads 1
done
expect "shard log" "shard 3/4: replicates 15-19 of 0-19" "$err"
for k in 0 1 2; do run "shard $k/3" 0 "$bin" run --replicates $r --shard $k/3 -o "$tmp/s3-$k.h5" "${quiet[@]}"; done
[ "$(attribute history "$tmp/s4-1.h5")" = "iskabm run baseline_2015_2018.toml --seed 20150126 --first-replicate 0 --replicates 20 --shard 1/4 --posterior default_posterior.csv" ] &&
  [ "$(attribute shard_index "$tmp/s4-1.h5") $(attribute shard_count "$tmp/s4-1.h5")" = "1 4" ] &&
  [ "$(attribute ensemble_first_replicate "$tmp/s4-1.h5") $(attribute ensemble_replicates "$tmp/s4-1.h5")" = "0 20" ] &&
  [ "$(attribute first_replicate "$tmp/s4-1.h5") $(attribute replicates_complete "$tmp/s4-1.h5")" = "5 5" ] &&
  echo "ok   [shard attributes and history]" || { echo "FAIL: shard attributes"; h5dump -A "$tmp/s4-1.h5" | head -80; fails=$((fails + 1)); }
[ "$(attribute replicates_complete "$tmp/s3-0.h5") $(attribute replicates_complete "$tmp/s3-2.h5")" = "6 7" ] &&
  echo "ok   [uneven shards: 6, 7, 7]" || { echo "FAIL: uneven shard sizes"; fails=$((fails + 1)); }

run "merge 4 shards, shuffled" 0 "$bin" merge "$tmp/s4-2.h5" "$tmp/s4-0.h5" "$tmp/s4-3.h5" "$tmp/s4-1.h5" -o "$tmp/m4.h5" --no-progress
expect "merge summary" "merged 4 file(s) into $tmp/m4.h5: replicates 0-19" "$out"
same "4 shards merged = whole run" "$tmp/whole.h5" "$tmp/m4.h5"
[ ! -e "$tmp/m4.h5.tmp" ] || { echo "FAIL: merge left its .tmp"; fails=$((fails + 1)); }
run "merge 3 uneven shards, reversed" 0 "$bin" merge "$tmp/s3-2.h5" "$tmp/s3-1.h5" "$tmp/s3-0.h5" -o "$tmp/m3.h5" -q --no-progress
same "3 uneven shards merged = whole run" "$tmp/whole.h5" "$tmp/m3.h5"

# The default output name does not collide between shards; a shard is a complete result file.
mkdir -p "$tmp/cwd"
(cd "$tmp/cwd" && "$bin" run --replicates $r --shard 2/4 "${quiet[@]}" 2>/dev/null)
same "default name results/<scenario>.shard-K-of-N.h5" "$tmp/s4-2.h5" "$tmp/cwd/results/baseline_2015_2018.shard-2-of-4.h5"
run "a shard exports" 0 "$bin" export "$tmp/s4-1.h5" --csv "$tmp/s4-1-csv" -q

# --no-posterior and an offset --first-replicate; a single shard of one (0/1).
run "whole, --no-posterior from 5" 0 "$bin" run --replicates 12 --first-replicate 5 --no-posterior -o "$tmp/np.h5" "${quiet[@]}"
for k in 0 1 2; do
  run "no-posterior shard $k/3" 0 "$bin" run --replicates 12 --first-replicate 5 --no-posterior --shard $k/3 -o "$tmp/np-$k.h5" "${quiet[@]}"
done
run "merge no-posterior shards" 0 "$bin" merge "$tmp/np-1.h5" "$tmp/np-2.h5" "$tmp/np-0.h5" -o "$tmp/np-m.h5" -q
same "--no-posterior shards from 5 merged = whole run" "$tmp/np.h5" "$tmp/np-m.h5"
run "shard 0/1" 0 "$bin" run --replicates 12 --first-replicate 5 --no-posterior --shard 0/1 -o "$tmp/np-all.h5" "${quiet[@]}"
run "merge shard 0/1" 0 "$bin" merge "$tmp/np-all.h5" -o "$tmp/np-all-m.h5" -q
same "shard 0/1 merged = whole run" "$tmp/np.h5" "$tmp/np-all-m.h5"

# Plain runs of adjacent ranges merge too.
run "range 0-11" 0 "$bin" run --replicates 12 -o "$tmp/ra.h5" "${quiet[@]}"
run "range 12-19" 0 "$bin" run --first-replicate 12 --replicates 8 -o "$tmp/rb.h5" "${quiet[@]}"
run "merge ranges" 0 "$bin" merge "$tmp/rb.h5" "$tmp/ra.h5" -o "$tmp/mr.h5" -q
same "adjacent ranges merged = whole run" "$tmp/whole.h5" "$tmp/mr.h5"

# Usage errors.
run "shard K >= N" 64 "$bin" run --replicates $r --shard 4/4 -o "$tmp/bad.h5" -q
expect "K >= N" "--shard 4/4: shards are numbered 0 to N-1 (here 0 to 3)" "$err"
run "shard N = 0" 64 "$bin" run --replicates $r --shard 0/0 -o "$tmp/bad.h5" -q
run "shard N > R" 64 "$bin" run --replicates 3 --shard 0/4 -o "$tmp/bad.h5" -q
expect "N > R" "4 shards of 3 replicate(s) would leave shards empty" "$err"
run "shard malformed" 64 "$bin" run --replicates $r --shard 1-4 -o "$tmp/bad.h5" -q
expect malformed "--shard 1-4: expected K/N" "$err"
nothing_left "usage errors" "$tmp/bad.h5"
run "merge without -o" 64 "$bin" merge "$tmp/s4-0.h5"
run "merge onto an input" 64 "$bin" merge "$tmp/s4-0.h5" "$tmp/s4-1.h5" "$tmp/s4-2.h5" "$tmp/s4-3.h5" -o "$tmp/s4-3.h5"
expect "onto an input" "$tmp/s4-3.h5 is the input $tmp/s4-3.h5" "$err"

# Inputs that do not belong together (exit 65), naming the offending file.
out_bad=$tmp/merged/bad.h5
run "shard of another scenario" 0 "$bin" run "$src/scenarios/border_sealed.toml" --replicates $r --shard 1/4 -o "$tmp/other.h5" "${quiet[@]}"
run "merge: another scenario" 65 "$bin" merge "$tmp/s4-0.h5" "$tmp/other.h5" "$tmp/s4-2.h5" "$tmp/s4-3.h5" -o "$out_bad"
expect "another scenario" "$tmp/other.h5: configuration_toml: ran scenario border_sealed.toml, but $tmp/s4-0.h5 ran baseline_2015_2018.toml" "$err"
nothing_left "another scenario" "$out_bad"
run "shard with another seed" 0 "$bin" run --replicates $r --seed 7 --shard 1/4 -o "$tmp/seed7.h5" "${quiet[@]}"
run "merge: another seed" 65 "$bin" merge "$tmp/s4-0.h5" "$tmp/seed7.h5" "$tmp/s4-2.h5" "$tmp/s4-3.h5" -o "$out_bad"
expect "another seed" "$tmp/seed7.h5: seed: seed 7 differs from $tmp/s4-0.h5's seed 20150126" "$err"
run "shard without the posterior" 0 "$bin" run --replicates $r --no-posterior --shard 1/4 -o "$tmp/nopost.h5" "${quiet[@]}"
run "merge: another posterior" 65 "$bin" merge "$tmp/s4-0.h5" "$tmp/nopost.h5" "$tmp/s4-2.h5" "$tmp/s4-3.h5" -o "$out_bad"
expect "another posterior" "$tmp/nopost.h5: posterior: its posterior (none) differs" "$err"
# A posterior file of the same name and size but other particles: only the fingerprint tells.
mkdir -p "$tmp/alt"
awk -F, -v OFS=, '!/^#/ && NR > 6 && !done {$2 = $2 * 1.5; done = 1} {print}' "$src/calibration/default_posterior.csv" \
  > "$tmp/alt/default_posterior.csv"
run "shard from another posterior" 0 "$bin" run --replicates $r --shard 1/4 --posterior "$tmp/alt/default_posterior.csv" -o "$tmp/alt.h5" "${quiet[@]}"
[ "$(attribute history "$tmp/alt.h5")" = "$(attribute history "$tmp/s4-1.h5")" ] || { echo "FAIL: histories differ"; fails=$((fails + 1)); }
run "merge: same posterior name, other particles" 65 "$bin" merge "$tmp/s4-0.h5" "$tmp/alt.h5" "$tmp/s4-2.h5" "$tmp/s4-3.h5" -o "$out_bad"
expect "posterior fingerprint" "$tmp/alt.h5: posterior_fingerprint: its posterior's particles (" "$err"
run "merge: gap (shard missing)" 65 "$bin" merge "$tmp/s4-0.h5" "$tmp/s4-1.h5" "$tmp/s4-3.h5" -o "$out_bad"
expect gap "shard 2/4 (replicates 10-14) of its ensemble of 4 shards is in none of the files given" "$err"
run "merge: the same shard twice" 65 "$bin" merge "$tmp/s4-0.h5" "$tmp/s4-1.h5" "$tmp/s4-1.h5" "$tmp/s4-2.h5" "$tmp/s4-3.h5" -o "$out_bad"
expect twice "$tmp/s4-1.h5: shard_index: given twice (shard 1/4, replicates 5-9)" "$err"
cp "$tmp/s4-1.h5" "$tmp/copy.h5"
run "merge: a shard copied" 65 "$bin" merge "$tmp/s4-0.h5" "$tmp/s4-1.h5" "$tmp/copy.h5" "$tmp/s4-2.h5" "$tmp/s4-3.h5" -o "$out_bad"
expect copied "shard 1/4 (replicates 5-9) is also in $tmp/s4-1.h5" "$err"
run "merge: shards of 4 and of 3" 65 "$bin" merge "$tmp/s4-0.h5" "$tmp/s4-1.h5" "$tmp/s3-2.h5" -o "$out_bad"
expect "shard counts" "$tmp/s3-2.h5: shard_count: is shard 2/3 but $tmp/s4-0.h5 is shard 0/4" "$err"
run "range 8-19" 0 "$bin" run --first-replicate 8 --replicates 12 -o "$tmp/rc.h5" "${quiet[@]}"
run "merge: overlapping ranges" 65 "$bin" merge "$tmp/ra.h5" "$tmp/rc.h5" -o "$out_bad"
expect overlap "$tmp/rc.h5: replicate: its replicates 8-19 overlap with those of $tmp/ra.h5 (0-11)" "$err"
run "range 16-19" 0 "$bin" run --first-replicate 16 --replicates 4 -o "$tmp/rd.h5" "${quiet[@]}"
run "merge: ranges with a gap" 65 "$bin" merge "$tmp/rd.h5" "$tmp/ra.h5" -o "$out_bad"
expect "range gap" "$tmp/rd.h5: replicate: replicates 12-15 are in none of the files given" "$err"
run "merge: a shard and a plain run" 65 "$bin" merge "$tmp/s4-0.h5" "$tmp/rb.h5" -o "$out_bad"
nothing_left "inconsistent inputs" "$out_bad"

# Unreadable, truncated and incomplete inputs (exit 74).
head -c 5000 "$tmp/s4-1.h5" > "$tmp/truncated.h5"
run "merge: truncated shard" 74 "$bin" merge "$tmp/s4-0.h5" "$tmp/truncated.h5" "$tmp/s4-2.h5" "$tmp/s4-3.h5" -o "$out_bad"
expect truncated "$tmp/truncated.h5: not an HDF5 file (or a truncated one)" "$err"
run "merge: not a result file" 74 "$bin" merge "$src/scenarios/baseline_2015_2018.toml" -o "$out_bad"
run "merge: missing file" 74 "$bin" merge "$tmp/s4-0.h5" "$tmp/nowhere.h5" -o "$out_bad"
expect missing "$tmp/nowhere.h5: no such file" "$err"
# An interrupted shard: SIGINT once its .tmp holds a flushed block, leaving the .tmp and journal.
"$bin" run --replicates 200 --shard 1/4 -o "$tmp/int.h5" "${quiet[@]}" --threads 1 2>/dev/null &
pid=$!
for _ in $(seq 1 1200); do
  kill -0 $pid 2>/dev/null || break
  got=$(HDF5_USE_FILE_LOCKING=FALSE attribute replicates_complete "$tmp/int.h5.tmp")
  [ -n "$got" ] && [ "$got" -ge 16 ] && break
  sleep 0.05
done
kill -INT $pid; wait $pid
[ -e "$tmp/int.h5.tmp" ] && [ ! -e "$tmp/int.h5" ] || { echo "FAIL: no interrupted shard: $(ls "$tmp")"; fails=$((fails + 1)); }
run "merge: interrupted shard's .tmp" 74 "$bin" merge "$tmp/int.h5.tmp" -o "$out_bad"
expect incomplete "$tmp/int.h5.tmp: an interrupted run's temporary file" "$err"
cp "$tmp/int.h5.tmp" "$tmp/int-renamed.h5"  # renamed, it still holds too few replicates
run "merge: interrupted shard renamed" 74 "$bin" merge "$tmp/int-renamed.h5" -o "$out_bad"
expect incomplete "$tmp/int-renamed.h5: incomplete result:" "$err"
expect incomplete "of the 50 replicates its run names are complete" "$err"
nothing_left "unreadable inputs" "$out_bad"
# The interrupted shard resumes like any run: not as another shard, and into the same bytes.
run "resume as another shard" 64 "$bin" run --replicates 200 --shard 2/4 -o "$tmp/int.h5" "${quiet[@]}" --resume
run "resume the shard" 0 "$bin" run --replicates 200 --shard 1/4 -o "$tmp/int.h5" "${quiet[@]}" --resume
expect resumed "recovered from the interrupted run" "$err"
run "the shard uninterrupted" 0 "$bin" run --replicates 200 --shard 1/4 -o "$tmp/int-full.h5" "${quiet[@]}"
same "resumed shard = uninterrupted shard" "$tmp/int-full.h5" "$tmp/int.h5"
finish
