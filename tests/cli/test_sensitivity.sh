#!/usr/bin/env bash
# `iskabm sensitivity` end to end on the small calibration spec: Morris and Sobol' rankings, one
# CSV row per parameter and statistic, the same bytes for any thread count, usage errors.
bin=$1 src=$2
. "$(dirname "$0")/cli_test_lib.sh"
spec=$src/tests/fixtures/small_calibration.toml
export ISKABM_DATA_DIR=$src/data

run "morris" 0 "$bin" sensitivity "$spec" --trajectories 3 --threads 2 --csv "$tmp/morris.csv" -o "$tmp/morris.h5"
expect morris "Morris sensitivity: 2 parameters" "$out"
expect morris "attack.base_rate" "$out"
expect "morris file" "wrote $tmp/morris.h5" "$out"
rows=$(($(wc -l <"$tmp/morris.csv") - 1))
header=$(head -1 "$tmp/morris.csv")
expect "morris csv header" "method,parameter,statistic,weight,mu,mu_star,sigma,output_sd" "$header"
# One row per (parameter, statistic): an even count, both parameters present.
[ "$rows" -gt 0 ] && [ $((rows % 2)) = 0 ] && echo "ok   [morris csv: $rows rows]" || { echo "FAIL: morris csv rows $rows"; fails=$((fails + 1)); }
expect "morris csv" "morris,attack.base_rate," "$(cat "$tmp/morris.csv")"
run "morris, one thread" 0 "$bin" sensitivity "$spec" --trajectories 3 --threads 1 --csv "$tmp/morris1.csv" -o "$tmp/morris1.h5"
cmp -s "$tmp/morris.csv" "$tmp/morris1.csv" && echo "ok   [morris: same bytes on 1 and 2 threads]" || { echo "FAIL: morris differs by threads"; fails=$((fails + 1)); }
cmp -s "$tmp/morris.h5" "$tmp/morris1.h5" && echo "ok   [morris.h5: same bytes on 1 and 2 threads]" || { echo "FAIL: morris.h5 differs by threads"; fails=$((fails + 1)); }
# The result file opens in xarray and holds what the CSV holds.
/usr/bin/python3 - "$tmp/morris.h5" "$tmp/morris.csv" <<'PY' && echo "ok   [morris.h5: xarray reads the indices and the design]" || { echo "FAIL: morris.h5"; fails=$((fails + 1)); }
import sys, csv, numpy as np, xarray as xr
ds = xr.open_dataset(sys.argv[1])
assert ds.attrs["method"] == "morris" and int(ds.attrs["trajectories"]) == 3, ds.attrs
assert list(ds.parameter.values) == ["attack.base_rate", "observation.intercept"]
assert ds.mu_star.dims == ("parameter", "output")
assert ds.design.shape == (3 * 3, 2) and ds.output_value.shape == (9, ds.sizes["output"])
for r in csv.DictReader(open(sys.argv[2])):
    v = float(ds.mu_star.sel(parameter=r["parameter"], output=r["statistic"]))
    assert (r["mu_star"] == "" and np.isnan(v)) or np.isclose(v, float(r["mu_star"])), (r, v)
PY
run "morris, another seed" 0 "$bin" sensitivity "$spec" --trajectories 3 --seed 99 --csv "$tmp/morris99.csv" -o "$tmp/morris99.h5"
cmp -s "$tmp/morris.csv" "$tmp/morris99.csv" && { echo "FAIL: the seed changes nothing"; fails=$((fails + 1)); } || echo "ok   [morris: the seed matters]"

# Interrupted and resumed: the bytes of the study run straight through.
run "long study" 0 "$bin" sensitivity "$spec" --trajectories 200 --replicates 3 --threads 2 -o "$tmp/long.h5"
timeout --preserve-status -s INT 1 "$bin" sensitivity "$spec" --trajectories 200 --replicates 3 --threads 1 -o "$tmp/part.h5" >/dev/null 2>"$tmp/err"; rc=$?
if [ "$rc" = 130 ]; then
  echo "ok   [interrupted study exits 130]"
  cp "$tmp/part.h5" "$tmp/checkpoint.h5"
  expect "interrupted" "continue with --resume" "$(cat "$tmp/err")"
  /usr/bin/python3 -c "
import h5py, sys
f = h5py.File(sys.argv[1]); s = f.attrs['status']; s = s.decode() if isinstance(s, bytes) else s
assert s == 'interrupted' and 'mu_star' not in f, (s, list(f))
print(int(f.attrs['points_complete']))" "$tmp/part.h5" >"$tmp/done" && echo "ok   [checkpoint: interrupted after $(cat "$tmp/done") points, no indices]" \
    || { echo "FAIL: checkpoint file"; fails=$((fails + 1)); }
else
  echo "note [the study finished before the interruption (exit $rc)]"
fi
run "resumed" 0 "$bin" sensitivity "$spec" --trajectories 200 --replicates 3 --threads 2 -o "$tmp/part.h5" --resume
cmp -s "$tmp/long.h5" "$tmp/part.h5" && echo "ok   [resumed study = straight through, byte for byte]" \
  || { echo "FAIL: resumed study differs"; fails=$((fails + 1)); }
run "resume another study" 64 "$bin" sensitivity "$spec" --trajectories 201 --replicates 3 -o "$tmp/part.h5" --resume
expect "resume another" "holds another study" "$err"

run "sobol" 0 "$bin" sensitivity "$spec" --method sobol --samples 16 --bootstrap 20 --csv "$tmp/sobol.csv" -o "$tmp/sobol.h5"
expect sobol "Sobol' sensitivity: 2 parameters" "$out"
expect "sobol csv" "sobol,attack.base_rate," "$(cat "$tmp/sobol.csv")"

# Every parameter with a range, and a what-if's paired differences as outputs.
cp "$src/tests/fixtures/small_config.toml" "$tmp/"
cat >"$tmp/funding_cut.toml" <<TOML
base = "small_config.toml"
title = "small: ISK funding cut"
[[intervention]]
kind = "funding"
label = "cut"
groups = ["ISK"]
start = 2015-01-01
multiplier = 0.0
TOML
run "all parameters and a what-if" 0 "$bin" sensitivity "$spec" --trajectories 2 --all-parameters \
  --scenario "$tmp/funding_cut.toml" --csv "$tmp/all.csv" -o "$tmp/all.h5"
expect "all parameters" "cells.fission_size" "$out"
expect "all parameters" "recruitment.district_capacity" "$out"
expect "what-if outputs" "morris,attack.base_rate,funding_cut:attacks," "$(cat "$tmp/all.csv")"
expect "what-if outputs" "funding_cut:focal_members_last_year" "$(cat "$tmp/all.csv")"
# report draws a finished study (the ranking, what-if answers apart) and refuses a checkpoint.
run "report of a study" 0 "$bin" report "$tmp/all.h5" -o "$tmp/report" -q
for f in sensitivity_ranking.png sensitivity_matrix.png report.html; do
  [ -s "$tmp/report/$f" ] && echo "ok   [report: $f]" || { echo "FAIL: report lacks $f"; fails=$((fails + 1)); }
done
expect "report figures" "Parameters ranked by influence" "$(cat "$tmp/report/figures.tsv")"
expect "report caption" "what-if answers" "$(cat "$tmp/report/report.html")"
if [ -f "$tmp/checkpoint.h5" ]; then
  run "report of a checkpoint" 74 "$bin" report "$tmp/checkpoint.h5" -o "$tmp/report2"
  expect "report of a checkpoint" "continue it with iskabm sensitivity --resume" "$err"
fi

run "what-if that does not exist" 64 "$bin" sensitivity "$spec" --scenario "$tmp/none.toml"

run "unknown method" 64 "$bin" sensitivity "$spec" --method fast
run "odd levels" 64 "$bin" sensitivity "$spec" --levels 5
run "missing spec" 74 "$bin" sensitivity "$tmp/none.toml"
sed 's/key = "observation.intercept"/key = "observation.intercep"/' "$spec" >"$tmp/bad.toml"
run "bad parameter key" 65 "$bin" sensitivity "$tmp/bad.toml"
expect "bad parameter key" "bad.toml:" "$err"
expect "bad parameter key" "observation.intercept" "$err"
finish
