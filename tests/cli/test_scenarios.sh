#!/usr/bin/env bash
# End-to-end tests of the shipped scenarios, `iskabm check` and `iskabm compare`, and of the
# scenario error classes: each exits 65 with file:line:column and key, and writes nothing.
#   test_scenarios.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$1 src=$2

for f in "$src"/scenarios/*.toml; do
  name=$(basename "$f" .toml)
  run "check $name" 0 "$bin" check "$f"
  expect "check $name" "check: OK" "$out"
  run "run $name" 0 "$bin" run "$f" -o "$tmp/$name.h5" --replicates 4 -q --no-progress
done
# The years after the record: the withdrawal inherits the 2019-2021 history (its surrenders and
# arrests), and a 4-replicate run of it reaches check-fit's validation section with the
# post-2018 figures.
run "withdrawal: inherits the history" 0 "$bin" check "$src/scenarios/withdrawal_2021.toml"
expect "withdrawal: the 2019 surrenders" "intervention   mass surrenders in Nangarhar, mostly Achin and Deh Bala (November 2019): losses of 0.3 of the members" "$out"
expect "withdrawal: the 2020 arrests" "Aslam Farooqi (Abdullah Orakzai), ISK's leader, arrested with 19 others (4 April 2020): decapitation" "$out"
run "withdrawal: check-fit" 0 "$bin" check-fit "$tmp/withdrawal_2021.h5"
expect "withdrawal: validation section" "F21    claimed ISK attacks, Afghanistan, 2021" "$out"
expect "withdrawal: validation count" "of 16 validation figures meet the simulated 90 % interval" "$out"
{ echo "base = \"$(cd "$src" && pwd)/scenarios/withdrawal_2021.toml\""; echo 'intervention_remove = ["prisoners freed from Pul-e-Charkhi (Kabul) and Bagram (Parwan)"]'; } >"$tmp/no_release.toml"
run "intervention_remove" 0 "$bin" check "$tmp/no_release.toml"
grep -q 'prisoners freed from Pul-e-Charkhi' <<<"$out" && { echo "FAIL: intervention_remove left the release"; fails=$((fails + 1)); }
expect "intervention_remove: the rest stays" "Qari Fateh" "$out"
run "resolved text" 0 "$bin" check "$src/scenarios/withdrawal_2021.toml" --resolved
printf '%s\n' "$out" > "$tmp/resolved.toml"
run "the resolved text is a valid scenario" 0 "$bin" check "$tmp/resolved.toml"

run "compare a what-if" 0 "$bin" compare "$tmp/baseline_2015_2018.h5" "$tmp/operational_ties_cut_2016.h5" --csv "$tmp/cmp.csv"
expect compare "paired differences (what-if minus baseline) over 4 replicates" "$out"
expect compare "joint_attacks      all" "$out"
expect "compare: Monte Carlo errors" "Monte Carlo standard error of the median (bootstrap over the 4 replicates)" "$out"
expect "compare: effects labelled" "decrease" "$out"
expect "compare: no detectable effect" "no detectable effect" "$out"
head -1 "$tmp/cmp.csv" | grep -q ",baseline_median_mcse,whatif_median_mcse,difference_median_mcse,effect$" || { echo "FAIL: csv header (errors)"; fails=$((fails + 1)); }
awk -F, 'NR > 1 && $1 == "joint_attacks" && $2 == "all" && $3 == "2017" { found = 1; if ($15 != "detected") bad = 1 }
         END { exit !(found && !bad) }' "$tmp/cmp.csv" || { echo "FAIL: cutting ties: a detected effect on joint attacks in 2017"; fails=$((fails + 1)); }
run "compare --precision" 0 "$bin" compare "$tmp/baseline_2015_2018.h5" "$tmp/operational_ties_cut_2016.h5" --precision 0.1
expect "compare --precision: short" "not yet known to 0.1 % of the baseline median" "$out"
expect "compare --precision: replicates" "replicates (now 4) would know them all" "$out"
run "compare --precision, loose" 0 "$bin" compare "$tmp/baseline_2015_2018.h5" "$tmp/operational_ties_cut_2016.h5" --precision 1000
expect "compare --precision: met" "every headline difference is known to 1000 % of its baseline median with 4 replicates" "$out"
run "compare --precision-metric unknown" 64 "$bin" compare "$tmp/baseline_2015_2018.h5" "$tmp/operational_ties_cut_2016.h5" --precision 5 --precision-metric nonsense
expect "compare: unknown metric" "--precision-metric nonsense: the files hold no such metric" "$err"
head -1 "$tmp/cmp.csv" | grep -q "^metric,scope,period,replicates,baseline_median" || { echo "FAIL: csv header"; fails=$((fails + 1)); }
awk -F, 'NR > 1 && $1 == "joint_attacks" && $2 == "all" && $3 == "2017" { found = 1; if ($7 >= 0) bad = 1 }
         END { exit !(found && !bad) }' "$tmp/cmp.csv" || { echo "FAIL: cutting operational ties should cut joint attacks in 2017"; fails=$((fails + 1)); }
run "compare with a different window" 0 "$bin" compare "$tmp/baseline_2015_2018.h5" "$tmp/withdrawal_2021.h5"
"$bin" run "$src/scenarios/baseline_2015_2018.toml" -o "$tmp/three.h5" --replicates 3 -q 2>/dev/null
run "compare needs the same replicates" 64 "$bin" compare "$tmp/baseline_2015_2018.h5" "$tmp/three.h5"
expect pairing "hold different replicates" "$err"
printf 'not hdf5' > "$tmp/junk.h5"
run "compare a non-iskabm file" 74 "$bin" compare "$tmp/baseline_2015_2018.h5" "$tmp/junk.h5"
run "compare a missing file" 74 "$bin" compare "$tmp/baseline_2015_2018.h5" "$tmp/none.h5"

# Error classes: a what-if on top of the baseline with one mistake each.
grep -v "^posterior =" "$src/scenarios/baseline_2015_2018.toml" >"$tmp/baseline_2015_2018.toml"  # its posterior path is relative
bad() {  # bad NAME EXPECTED_MESSAGE TOML...
  local name=$1 message=$2; shift 2
  { echo 'base = "baseline_2015_2018.toml"'; printf '%s\n' "$@"; } > "$tmp/bad.toml"
  run "$name" 65 "$bin" check "$tmp/bad.toml"
  expect "$name" "$message" "$err"
  run "$name (run writes nothing)" 65 "$bin" run "$tmp/bad.toml" -o "$tmp/bad/out.h5"
  [ ! -e "$tmp/bad" ] || { echo "FAIL [$name]: output written"; fails=$((fails + 1)); rm -rf "$tmp/bad"; }
}
bad "syntax error" "$tmp/bad.toml:2:7: TOML syntax error" '[run] x ='
bad "unknown key" "$tmp/bad.toml:3:1: run.seeed: unknown key (did you mean 'seed'?)" '[run]' 'seeed = 3'
bad "wrong type" "$tmp/bad.toml:3:8: run.seed: has type string, expected an integer" '[run]' 'seed = "x"'
bad "out of range" "$tmp/bad.toml:3:20: parameters.attack.base_rate: 7 is out of range [0, 0.5]" '[parameters]' 'attack.base_rate = 7'
bad "losses: fraction out of range" "$tmp/bad.toml:7:12: intervention[0].fraction: 1.5 is out of range [0, 1]" \
  '[[intervention]]' 'kind = "losses"' 'groups = ["ISK"]' 'provinces = ["Nangarhar"]' 'start = 2019-11-15' 'fraction = 1.5'
bad "losses: unknown kind of loss" "$tmp/bad.toml:8:6: intervention[0].as" \
  '[[intervention]]' 'kind = "losses"' 'groups = ["ISK"]' 'provinces = ["Nangarhar"]' 'start = 2019-11-15' 'fraction = 0.5' 'as = "fled"'
bad "intervention_remove: unknown label" "intervention_remove: no intervention labelled 'nothing like it'" 'intervention_remove = ["nothing like it"]'
bad "losses: no end (acts once)" "$tmp/bad.toml:8:1: intervention[0].end: unknown key" \
  '[[intervention]]' 'kind = "losses"' 'groups = ["ISK"]' 'provinces = ["Nangarhar"]' 'start = 2019-11-15' 'fraction = 0.5' 'end = 2019-12-01'
bad "decapitation: no area" "$tmp/bad.toml:6:1: intervention[0].provinces: unknown key" \
  '[[intervention]]' 'kind = "decapitation"' 'groups = ["ISK"]' 'start = 2020-04-04' 'provinces = ["Nangarhar"]' 'fraction = 0.5'
bad "unknown district" "unknown district id 'AFG-999'" '[[pressure]]' 'actor = "us_air"' 'districts = ["AFG-999"]' 'start = 2016-01-01' 'level = 1'
bad "unknown province" "unknown province 'Nangarhr' (did you mean 'Nangarhar'?)" '[[pressure]]' 'actor = "us_air"' 'provinces = ["Nangarhr"]' 'start = 2016-01-01' 'level = 1'
bad "unknown group" "unknown group 'ISIS' (did you mean 'ISK'?)" '[[tie_change]]' 'groups = ["ISIS", "TTP"]' 'remove = true'
bad "end before start" "pressure[0].end: 2015-01-01 is before start 2016-01-01" '[[pressure]]' 'actor = "us_air"' 'countries = ["Afghanistan"]' 'start = 2016-01-01' 'end = 2015-01-01' 'level = 1'
finish
