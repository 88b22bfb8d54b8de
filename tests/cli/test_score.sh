#!/usr/bin/env bash
# End-to-end test of `iskabm score`: a small ensemble of the baseline scenario scored against the
# bundled country-month and district-month series, with the model and every baseline in the table
# and the CSV; bad input exits 64 / 65 / 74 with a message naming what is wrong.
#   test_score.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$1 src=$2
country=$src/data/aggregates/isk_wikipedia_country_month.csv
district=$src/data/aggregates/isk_wikipedia_district_month.csv

run "a 20-replicate ensemble" 0 "$bin" run "$src/scenarios/baseline_2015_2018.toml" -o "$tmp/run.h5" --replicates 20 \
  --threads 2 -q --no-progress

run "score against the country-month series" 0 "$bin" score --forecast "$tmp/run.h5" --observed "$country" \
  --train-end 2018-06 --samples 300 --csv "$tmp/score.csv"
expect header "training  2015-01..2018-06 (42 months); test 2018-07..2018-12 (6 months)" "$out"
expect header "attacks_observed, 20 replicates" "$out"
for f in model model_conditioned seasonal_naive nb_regression hawkes; do
  for s in Afghanistan Pakistan overall; do
    grep -qE "^$f +$s +(6|12) " <<<"$out" || { echo "FAIL: no row $f $s"; echo "$out"; fails=$((fails + 1)); }
  done
done
# Observed totals of July - December 2018: Afghanistan 44, Pakistan 4.
expect observed "$(printf '%-17s %-12s %6s' model Afghanistan 6)" "$out"
grep -qE "^model +Afghanistan +6 .* 44$" <<<"$out" || { echo "FAIL: Afghanistan observed total"; fails=$((fails + 1)); }
grep -qE "^hawkes +overall +12 .* 48$" <<<"$out" || { echo "FAIL: overall observed total"; fails=$((fails + 1)); }
expect fitted "hawkes          Afghanistan  mu " "$out"
# The conditioned model: weighted on 2018-01..2018-06, where the record has 37 and 13.
expect conditioned "model_conditioned  replicates weighted by their attacks_observed in 2018-01..2018-06 against the record's: Afghanistan 37 (replicates' median" "$out"
grep -qE "Pakistan 13 \(replicates' median [0-9.]+\); effective sample [0-9]+ of 20" <<<"$out" ||
  { echo "FAIL: conditioning line"; echo "$out"; fails=$((fails + 1)); }
csv=$(cat "$tmp/score.csv")
expect csv "forecaster,scope,cases,crps,log_score,coverage_50,coverage_90,forecast_total,observed_total,train_start" "$csv"
expect csv "nb_regression,Pakistan,6," "$csv"
expect csv ",44,2015-01,2018-06,2018-07,2018-12,attacks_observed,events_all" "$csv"
[ "$(wc -l <"$tmp/score.csv")" = 16 ] && echo "ok   [csv: header + 15 rows]" || { echo "FAIL: csv rows"; fails=$((fails + 1)); }
expect csv "model_conditioned,overall,12," "$csv"
run "without the conditioned model" 0 "$bin" score --forecast "$tmp/run.h5" --observed "$country" \
  --train-end 2018-06 --samples 300 --condition-months 0 --csv "$tmp/plain.csv"
[ "$(wc -l <"$tmp/plain.csv")" = 13 ] && echo "ok   [--condition-months 0: header + 12 rows]" ||
  { echo "FAIL: --condition-months 0 rows"; fails=$((fails + 1)); }
grep -q "conditioned on the record" <<<"$out" && { echo "FAIL: --condition-months 0 prints a conditioning"; fails=$((fails + 1)); }
run "conditioning longer than the training window" 64 "$bin" score --forecast "$tmp/run.h5" --observed "$country" \
  --train-end 2018-06 --condition-months 43
expect long "--condition-months 43: the training window 2015-01..2018-06 has 42 months" "$err"
# Every score is a finite number and coverages are shares.
awk -F, 'NR > 1 && !($4 >= 0 && $5 > -1e9 && $5 < 1e9 && $6 >= 0 && $6 <= 1 && $7 >= 0 && $7 <= 1) { bad = 1 }
         END { exit bad }' "$tmp/score.csv" && echo "ok   [csv values in range]" || { echo "FAIL: csv values"; fails=$((fails + 1)); }

# Same inputs, same seed: the same table.
run "rerun" 0 "$bin" score --forecast "$tmp/run.h5" --observed "$country" --train-end 2018-06 --samples 300 \
  --csv "$tmp/again.csv"
cmp -s "$tmp/score.csv" "$tmp/again.csv" && echo "ok   [reproducible]" || { echo "FAIL: rerun differs"; fails=$((fails + 1)); }

run "score against the district-month series" 0 "$bin" score --forecast "$tmp/run.h5" --observed "$district" \
  --train-end 2017-12 --test-end 2018-03 --samples 200
expect district "district-month series, 546 districts" "$out"
grep -qE "^model +overall +1638 " <<<"$out" || { echo "FAIL: district cases (546 x 3)"; echo "$out"; fails=$((fails + 1)); }

# Errors.
sed '5s/2014,4,/2014,13,/' "$country" >"$tmp/bad.csv"
run "malformed series" 65 "$bin" score --forecast "$tmp/run.h5" --observed "$tmp/bad.csv" --train-end 2018-06
expect malformed "$tmp/bad.csv:5: month: month 13 is not 1..12" "$err"
run "unknown column" 64 "$bin" score --forecast "$tmp/run.h5" --observed "$country" --train-end 2018-06 --column attacks
expect column "count columns are events_all, events_named_or_claimed, fatalities_all" "$err"
run "training window too short" 64 "$bin" score --forecast "$tmp/run.h5" --observed "$country" --train-start 2017-06 \
  --train-end 2018-06
expect short "has 13 months; at least 24 are needed" "$err"
run "bad month" 64 "$bin" score --forecast "$tmp/run.h5" --observed "$country" --train-end June
run "small run" 0 "$bin" run "$src/tests/fixtures/small_config.toml" -o "$tmp/small.h5" --replicates 2 -q --no-progress
run "forecast misses the test months" 65 "$bin" score --forecast "$tmp/small.h5" --observed "$country" --train-end 2018-06
expect cover "$tmp/small.h5: time: the forecast holds the months 2015-01..2016-12, none of them after --train-end 2018-06" "$err"
run "forecast is not a result file" 74 "$bin" score --forecast "$country" --observed "$country" --train-end 2018-06
expect notfile "$country" "$err"
finish
