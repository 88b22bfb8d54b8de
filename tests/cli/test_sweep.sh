#!/usr/bin/env bash
# End-to-end tests of `iskabm sweep`: a 2 x 2 grid on the baseline (plus the reference) gives one
# result file per variant, each the very bytes of `iskabm run` on its generated scenario, and a
# tidy summary whose paired differences are `iskabm compare`'s; --list, --variant K and --collect
# (the job-array workflow) give the same files and summary; a rerun skips what is complete; a
# SIGTERM mid-sweep and a rerun give the bytes of an uninterrupted sweep; a bad level, an invalid
# label and keys two axes set differently exit 65 before anything runs; more replicates extend the
# files (byte for byte a run of them all), and --precision adds whole chunks until precise.
#   test_sweep.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$(realpath "$1") src=$(realpath "$2")
base=$src/scenarios/baseline_2015_2018.toml
quiet=(--no-progress --log-level info)  # -q alone prints only errors; these tests read the log

same() {  # same NAME A B: the files are byte-identical
  cmp -s "$2" "$3" && echo "ok   [$1]" || { echo "FAIL [$1]: $2 and $3 differ"; fails=$((fails + 1)); }
}
check() {  # check NAME CONDITION...: the command succeeds
  local name=$1; shift
  "$@" && echo "ok   [$name]" || { echo "FAIL [$name]"; fails=$((fails + 1)); }
}

# A 2 x 2 grid: US air pressure as recorded or doubled x operational ties kept or cut in 2016.
cat >"$tmp/grid.toml" <<EOF
title = "Air x ties"
base = "$base"
replicates = 4

[[axis]]
name = "air"
  [[axis.level]]
  label = "as_recorded"
  [[axis.level]]
  label = "double"
  note = "US air pressure doubled from 2016"
  [[axis.level.scenario.intervention]]
  kind = "pressure_multiplier"
  actor = "us_air"
  countries = ["Afghanistan"]
  start = 2016-01-01
  multiplier = 2.0

[[axis]]
name = "ties"
  [[axis.level]]
  label = "kept"
  [[axis.level]]
  label = "cut_2016"
  [axis.level.scenario]
  tie_change = [
    { groups = ["ISK", "TTP"], types = ["operational"], end = 2016-01-01 },
    { groups = ["ISK", "JuA"], types = ["operational"], end = 2016-01-01 },
    { groups = ["ISK", "LeJ"], types = ["operational"], end = 2016-01-01 },
  ]
EOF
variants=(reference air-as_recorded_ties-kept air-as_recorded_ties-cut_2016 air-double_ties-kept air-double_ties-cut_2016)
dir=$tmp/sweep

# ---------------------------------------------------------------- the whole sweep
run "sweep" 0 "$bin" sweep "$tmp/grid.toml" -o "$dir" "${quiet[@]}"
expect "table header" "variant                        air          ties" "$out"
expect "table: the reference" "reference" "$out"
expect "table: a variant" "air-double_ties-cut_2016       double       cut_2016" "$out"
expect "table: summary file" "wrote $dir/summary.csv (75 rows" "$out"
n=$(ls "$dir/runs" | wc -l)
check "5 result files (4 variants + reference), nothing else: $(ls "$dir/runs" | tr '\n' ' ')" [ "$n" = 5 ]
for v in "${variants[@]}"; do
  [ -s "$dir/runs/$v.h5" ] || { echo "FAIL: $v.h5 missing"; fails=$((fails + 1)); }
done
for v in "${variants[@]:1}"; do
  [ -s "$dir/scenarios/$v.toml" ] || { echo "FAIL: scenarios/$v.toml missing"; fails=$((fails + 1)); }
done

# Each file is the very file of `iskabm run` on the variant's generated scenario (the base's, for the reference).
run "plain run of a generated scenario" 0 "$bin" run "$dir/scenarios/air-double_ties-cut_2016.toml" -o "$tmp/plain.h5" \
  --replicates 4 -q "${quiet[@]}"
same "variant = iskabm run of its generated scenario" "$tmp/plain.h5" "$dir/runs/air-double_ties-cut_2016.h5"
run "plain run of the base" 0 "$bin" run "$base" -o "$tmp/plain-base.h5" --replicates 4 -q "${quiet[@]}"
same "reference = iskabm run of the base" "$tmp/plain-base.h5" "$dir/runs/reference.h5"
run "check a generated scenario" 0 "$bin" check "$dir/scenarios/air-double_ties-kept.toml"

# The summary: one row per variant x metric x scope, 14 columns.
csv=$dir/summary.csv
check "summary header" [ "$(head -1 "$csv")" = "variant,air,ties,metric,scope,period,replicates,median,q05,q95,difference_median,difference_q05,difference_q95,median_mcse,difference_mcse" ]
check "summary: 5 variants x 5 metrics x 3 scopes = 75 rows" [ "$(($(wc -l <"$csv") - 1))" = 75 ]
check "summary: 15 columns in every row" [ "$(awk -F, 'NF != 15' "$csv" | wc -l)" = 0 ]
check "summary: a Monte Carlo error for every median" [ "$(awk -F, 'NR > 1 && !($14 >= 0)' "$csv" | wc -l)" = 0 ]
for m in attacks attacks_observed fatalities joint_attacks ISK_members; do
  for s in all Afghanistan Pakistan; do
    k=$(grep -c "^[^,]*,[^,]*,[^,]*,$m,$s,2014-2018,4," "$csv")
    [ "$k" = 5 ] || { echo "FAIL: $m/$s has $k rows"; fails=$((fails + 1)); }
  done
done
check "summary: the reference minus itself is 0" \
  [ "$(grep '^reference,,,' "$csv" | awk -F, '$11 != 0 || $12 != 0 || $13 != 0' | wc -l)" = 0 ]
# The empty levels are the base itself: same seed, paired replicates, zero differences.
check "summary: the empty levels equal the reference" \
  [ "$(grep '^air-as_recorded_ties-kept,' "$csv" | cut -d, -f4- | awk -F, '$8 != 0 || $9 != 0 || $10 != 0' | wc -l)" = 0 ]
check "summary: same medians as the reference" \
  [ "$(grep '^air-as_recorded_ties-kept,' "$csv" | cut -d, -f4-10)" = "$(grep '^reference,' "$csv" | cut -d, -f4-10)" ]
check "summary: cutting the ties removes joint attacks" \
  [ "$(awk -F, '$1 == "air-as_recorded_ties-cut_2016" && $4 == "joint_attacks" && $5 == "all" { print ($11 < 0) }' "$csv")" = 1 ]
# The paired numbers are `iskabm compare`'s.
run "compare" 0 "$bin" compare "$dir/runs/reference.h5" "$dir/runs/air-double_ties-cut_2016.h5" --csv "$tmp/compare.csv"
for m in attacks attacks_observed fatalities joint_attacks; do
  c=$(awk -F, -v m=$m '$1 == m && $2 == "all" && $3 == "2014-2018" { print $6 "," $7 "," $8 "," $11 }' "$tmp/compare.csv")
  s=$(awk -F, -v m=$m '$1 == "air-double_ties-cut_2016" && $4 == m && $5 == "all" { print $8 "," $11 "," $12 "," $13 }' "$csv")
  check "summary $m = compare's median and difference [$s]" [ -n "$c" ] && [ "$c" = "$s" ]
  c=$(awk -F, -v m=$m '$1 == m && $2 == "all" && $3 == "2014-2018" { print $13 "," $14 }' "$tmp/compare.csv")
  s=$(awk -F, -v m=$m '$1 == "air-double_ties-cut_2016" && $4 == m && $5 == "all" { print $14 "," $15 }' "$csv")
  check "summary $m = compare's Monte Carlo errors [$s]" [ -n "$c" ] && [ "$c" = "$s" ]
done

# ---------------------------------------------------------------- a rerun skips what is complete
stat -c '%n %i %Y %s' "$dir"/runs/* >"$tmp/before"
md5sum "$dir"/runs/* >"$tmp/before.md5"
run "rerun" 0 "$bin" sweep "$tmp/grid.toml" -o "$dir" "${quiet[@]}" -q
check "rerun: every variant skipped" [ "$(grep -c 'is complete: skipped' <<<"$err")" = 5 ]
expect "rerun: logged" "variant 3 (of 0-4) air-double_ties-kept: $dir/runs/air-double_ties-kept.h5 is complete: skipped" "$err"
check "rerun: no table with -q" [ -z "$out" ]
stat -c '%n %i %Y %s' "$dir"/runs/* >"$tmp/after"
check "rerun: files untouched" cmp -s "$tmp/before" "$tmp/after"
check "rerun: same bytes" md5sum --quiet -c "$tmp/before.md5"

# ---------------------------------------------------------------- the job-array workflow
run "--list" 0 "$bin" sweep "$tmp/grid.toml" -o "$tmp/arr" --list
check "--list: 5 lines" [ "$(wc -l <<<"$out")" = 5 ]
expect "--list: the reference" "$(printf '0\treference\t%s\t%s' "$base" "$tmp/arr/runs/reference.h5")" "$out"
expect "--list: variant 2" "$(printf '2\tair-as_recorded_ties-cut_2016\t%s\t%s' "$tmp/arr/scenarios/air-as_recorded_ties-cut_2016.toml" "$tmp/arr/runs/air-as_recorded_ties-cut_2016.h5")" "$out"
check "--list: nothing run" [ ! -e "$tmp/arr/runs" ]
check "--list: the generated scenarios" [ "$(ls "$tmp/arr/scenarios" | wc -l)" = 4 ]
run "--variant 2" 0 "$bin" sweep "$tmp/grid.toml" -o "$tmp/arr" --variant 2 "${quiet[@]}"
check "--variant 2: only that variant ran: $(ls "$tmp/arr/runs" | tr '\n' ' ')" [ "$(ls "$tmp/arr/runs")" = "air-as_recorded_ties-cut_2016.h5" ]
check "--variant 2: no summary" [ ! -e "$tmp/arr/summary.csv" ]
same "--variant 2 = the whole sweep's file" "$tmp/arr/runs/air-as_recorded_ties-cut_2016.h5" "$dir/runs/air-as_recorded_ties-cut_2016.h5"
run "--collect with missing variants" 74 "$bin" sweep "$tmp/grid.toml" -o "$tmp/arr" --collect
expect "--collect names the missing" "4 of the 5 variants have no result to collect: reference (no $tmp/arr/runs/reference.h5), air-as_recorded_ties-kept" "$err"
check "--collect: no summary" [ ! -e "$tmp/arr/summary.csv" ]
for k in 0 1 3 4; do run "--variant $k" 0 "$bin" sweep "$tmp/grid.toml" -o "$tmp/arr" --variant $k "${quiet[@]}"; done
run "--collect" 0 "$bin" sweep "$tmp/grid.toml" -o "$tmp/arr" --collect
same "array + collect = the whole sweep: summary" "$tmp/arr/summary.csv" "$dir/summary.csv"
for v in "${variants[@]}"; do same "array = the whole sweep: $v" "$tmp/arr/runs/$v.h5" "$dir/runs/$v.h5"; done
run "--variant out of range" 64 "$bin" sweep "$tmp/grid.toml" -o "$tmp/arr" --variant 5
expect "--variant out of range" "--variant 5: the sweep has 5 variants, numbered 0 to 4" "$err"
# A result of another run (here: other replicates) is run again, and is not collected.
# More replicates of the same run than asked for are never thrown away: the sweep refuses.
md5sum "$tmp/arr/runs/air-as_recorded_ties-kept.h5" >"$tmp/kept.md5"
run "--variant 1 --replicates 3: refused" 64 "$bin" sweep "$tmp/grid.toml" -o "$tmp/arr" --variant 1 --replicates 3 "${quiet[@]}"
expect "more replicates kept" "holds 4 replicates of this run, more than the 3 asked for: run the sweep with --replicates 4" "$err"
check "more replicates kept: the file untouched" md5sum --quiet -c "$tmp/kept.md5"
# A result of another run (here: another seed) is run again, and is not collected.
run "another seed" 0 "$bin" run "$tmp/arr/scenarios/air-as_recorded_ties-kept.toml" -o "$tmp/arr/runs/air-as_recorded_ties-kept.h5" --replicates 4 --seed 99 -q "${quiet[@]}"
run "--collect: a result of another run" 74 "$bin" sweep "$tmp/grid.toml" -o "$tmp/arr" --collect
expect "--collect: another run" "1 of the 5 variants have no result to collect: air-as_recorded_ties-kept ($tmp/arr/runs/air-as_recorded_ties-kept.h5 does not hold this sweep's run" "$err"
run "another run is run again" 0 "$bin" sweep "$tmp/grid.toml" -o "$tmp/arr" --variant 1 "${quiet[@]}"
expect "another run is run again" "holds another run (it ran \`iskabm run air-as_recorded_ties-kept.toml --seed 99 --first-replicate 0 --replicates 4" "$err"

# ---------------------------------------------------------------- errors: nothing runs
sed 's/  multiplier = 2.0/  multplier = 2.0/' "$tmp/grid.toml" >"$tmp/bad-level.toml"
run "a bad level" 65 "$bin" sweep "$tmp/bad-level.toml" -o "$tmp/bad"
expect "bad level: sweep file line and key" "$tmp/bad-level.toml:17:3: axis[0].level[1].scenario.intervention[0].multplier: unknown key (did you mean 'multiplier'?)" "$err"
expect "bad level: the variants and the generated file" "(variants air-double_ties-kept, air-double_ties-cut_2016; generated scenario $tmp/bad/scenarios/air-double_ties-kept.toml:" "$err"
expect "bad level: nothing run" "2 of the 5 variants cannot run (above); nothing was run" "$err"
check "bad level: no run" [ ! -e "$tmp/bad/runs" ]
sed 's/label = "cut_2016"/label = "cut 2016"/' "$tmp/grid.toml" >"$tmp/bad-label.toml"
run "an invalid label" 65 "$bin" sweep "$tmp/bad-label.toml" -o "$tmp/bad"
expect "invalid label" "$tmp/bad-label.toml:24:11: axis[1].level[1].label: 'cut 2016' is not a valid label" "$err"
cat "$tmp/grid.toml" - >"$tmp/conflict.toml" <<'EOF'
  [axis.level.scenario.parameters]
  attack.base_rate = 0.004
[[axis]]
name = "rate"
  [[axis.level]]
  label = "high"
  scenario = { parameters = { attack = { base_rate = 0.006 } } }
EOF
run "conflicting keys" 65 "$bin" sweep "$tmp/conflict.toml" -o "$tmp/bad"
expect "conflicting keys" "'parameters.attack.base_rate' is set by axis 'ties' (level 'cut_2016') to 0.004 and by axis 'rate' (level 'high') to 0.006" "$err"
check "errors: no run" [ ! -e "$tmp/bad/runs" ]
sed "s|^base = .*|base = \"nowhere.toml\"|" "$tmp/grid.toml" >"$tmp/nobase.toml"
run "a missing base" 65 "$bin" sweep "$tmp/nobase.toml" -o "$tmp/bad"
expect "missing base" "base: no such scenario" "$err"

# ---------------------------------------------------------------- a list, without a reference
cat >"$tmp/list.toml" <<EOF
base = "$base"
mode = "list"
reference = false
replicates = 2
[[variant]]
label = "funding_cut"
scenario = { intervention = [ { kind = "funding", groups = ["ISK"], start = 2016-01-01, multiplier = 0.0 } ] }
EOF
run "a list without reference" 0 "$bin" sweep "$tmp/list.toml" -o "$tmp/list" "${quiet[@]}"
check "list: one file" [ "$(ls "$tmp/list/runs")" = "funding_cut.h5" ]
check "list: no axis columns, empty differences" \
  [ "$(sed -n 2p "$tmp/list/summary.csv" | cut -d, -f1-5,9-11,13)" = "funding_cut,attacks,all,2014-2018,2,,,," ]

# ---------------------------------------------------------------- more replicates: extended, not rerun
# A sweep asked for more replicates than its files hold runs only the missing ones and merges
# them: the files are byte for byte those of a sweep that ran them all at once.
cat >"$tmp/pair.toml" <<EOF
base = "$base"
mode = "list"
replicates = 4
[[variant]]
label = "air_double"
scenario = { intervention = [ { kind = "pressure_multiplier", actor = "us_air", countries = ["Afghanistan"], start = 2016-01-01, multiplier = 2.0 } ] }
EOF
run "pair: 4 replicates" 0 "$bin" sweep "$tmp/pair.toml" -o "$tmp/pair" -q "${quiet[@]}"
run "pair: 8 replicates extends" 0 "$bin" sweep "$tmp/pair.toml" -o "$tmp/pair" --replicates 8 -q "${quiet[@]}"
expect "pair: only the missing replicates run" "holds replicates 0-3: running 4-7 into $tmp/pair/runs/air_double.from-4.h5" "$err"
run "pair: 8 replicates at once" 0 "$bin" sweep "$tmp/pair.toml" -o "$tmp/pair8" --replicates 8 -q "${quiet[@]}"
for v in reference air_double; do same "extended = run at once: $v" "$tmp/pair/runs/$v.h5" "$tmp/pair8/runs/$v.h5"; done
check "extended: no part or merging file left" [ "$(ls "$tmp/pair/runs" | tr '\n' ' ')" = "air_double.h5 reference.h5 " ]
# A part a crash left behind (after the merge, before its removal) goes at the next call.
cp "$tmp/pair/runs/air_double.h5" "$tmp/pair/runs/air_double.from-4.h5"
run "pair: stale part removed" 0 "$bin" sweep "$tmp/pair.toml" -o "$tmp/pair" --replicates 8 -q "${quiet[@]}"
expect "pair: stale part named" "removed $tmp/pair/runs/air_double.from-4.h5 (left by an interrupted extension)" "$err"
check "pair: stale part gone" [ ! -e "$tmp/pair/runs/air_double.from-4.h5" ]

# --precision: whole chunks until the headline differences are known, or the maximum.
run "precision: loose" 0 "$bin" sweep "$tmp/pair.toml" -o "$tmp/loose" --precision 900 -q "${quiet[@]}"
expect "precision: loose is met by one chunk" "every headline difference is known to 900 % with 4 replicates" "$err"
run "precision: strict, capped" 0 "$bin" sweep "$tmp/pair.toml" -o "$tmp/strict" --precision 0.5 --max-replicates 12 -q "${quiet[@]}"
expect "precision: strict names what is short" "not yet known to 0.5 % at the maximum of 12 replicates" "$err"
expect "precision: the shortfall" "air_double attacks all: Monte Carlo error" "$err"
run "pair: 12 replicates at once" 0 "$bin" sweep "$tmp/pair.toml" -o "$tmp/pair12" --replicates 12 -q "${quiet[@]}"
for v in reference air_double; do same "chunks = run at once: $v" "$tmp/strict/runs/$v.h5" "$tmp/pair12/runs/$v.h5"; done
same "chunks = run at once: summary" "$tmp/strict/summary.csv" "$tmp/pair12/summary.csv"
run "precision: again, nothing to run" 0 "$bin" sweep "$tmp/pair.toml" -o "$tmp/strict" --precision 0.5 --max-replicates 12 -q "${quiet[@]}"
check "precision: again skips the 12 replicates" [ "$(grep -c 'is complete: skipped' <<<"$err")" = 2 ]
run "precision: a metric" 0 "$bin" sweep "$tmp/pair.toml" -o "$tmp/strict" --precision 0.5 --max-replicates 12 \
  --precision-metric joint_attacks -q "${quiet[@]}"
expect "precision: only the metric asked for" "air_double joint_attacks all" "$err"
run "precision: an unknown metric" 64 "$bin" sweep "$tmp/pair.toml" -o "$tmp/strict" --precision 0.5 --max-replicates 12 \
  --precision-metric attacks_typo -q "${quiet[@]}"
expect "precision: an unknown metric is named" "--precision-metric attacks_typo: the sweep's summary has no such metric" "$err"
run "precision with --variant" 64 "$bin" sweep "$tmp/pair.toml" -o "$tmp/strict" --precision 5 --variant 1
run "--max-replicates without --precision" 64 "$bin" sweep "$tmp/pair.toml" -o "$tmp/strict" --max-replicates 8

# ---------------------------------------------------------------- the shipped example
run "shipped example: --list" 0 "$bin" sweep "$src/scenarios/sweeps/air_pressure_x_ties.toml" -o "$tmp/example" --list
check "shipped example: 7 variants" [ "$(wc -l <<<"$out")" = 7 ]
run "shipped prison release sweep: --list" 0 "$bin" sweep "$src/scenarios/sweeps/prison_release_x_taliban_effectiveness.toml" -o "$tmp/prison" --list
check "prison release sweep: 13 variants (4 x 3 and the reference)" [ "$(wc -l <<<"$out")" = 13 ]
check "prison release sweep: 'none' removes the withdrawal's release" grep -q "intervention_remove" "$tmp/prison/scenarios/release-none_taliban-half.toml"
run "shipped allies sweep: --list" 0 "$bin" sweep "$src/scenarios/sweeps/allies_dismantled.toml" -o "$tmp/allies" --list
check "allies sweep: 4 variants" [ "$(wc -l <<<"$out")" = 4 ]

# ---------------------------------------------------------------- SIGTERM mid-sweep, then the same command
r=24
run "uninterrupted sweep of $r replicates" 0 "$bin" sweep "$tmp/grid.toml" -o "$tmp/full" --replicates $r -q "${quiet[@]}"
"$bin" sweep "$tmp/grid.toml" -o "$tmp/int" --replicates $r -q "${quiet[@]}" --threads 1 2>"$tmp/int.err" &
pid=$!
for _ in $(seq 1 6000); do [ -e "$tmp/int/runs/air-as_recorded_ties-kept.h5.journal" ] && break; sleep 0.02; done
sleep 0.2
kill -TERM $pid; wait $pid; rc=$?
check "SIGTERM: exit 143 (got $rc)" [ "$rc" = 143 ]
check "SIGTERM: the completed variants stay" [ -s "$tmp/int/runs/reference.h5" ]
check "SIGTERM: the later variants did not start" [ ! -e "$tmp/int/runs/air-double_ties-cut_2016.h5" ]
journals=$(ls "$tmp/int/runs" | grep -c '\.journal$')
grep -qF "sweep interrupted in variant" "$tmp/int.err" && check "SIGTERM: a resumable journal" [ "$journals" = 1 ]
run "the same command again" 0 "$bin" sweep "$tmp/grid.toml" -o "$tmp/int" --replicates $r -q "${quiet[@]}"
[ "$journals" = 1 ] && expect "resumed" "(resuming its interrupted run)" "$err"
expect "skipped the completed" "variant 0 (of 0-4) reference: $tmp/int/runs/reference.h5 is complete: skipped" "$err"
for v in "${variants[@]}"; do same "interrupted + rerun = uninterrupted: $v" "$tmp/int/runs/$v.h5" "$tmp/full/runs/$v.h5"; done
same "interrupted + rerun = uninterrupted: summary" "$tmp/int/summary.csv" "$tmp/full/summary.csv"
check "no journal or .tmp left" [ -z "$(ls "$tmp/int/runs" | grep -E 'journal|tmp')" ]
finish
