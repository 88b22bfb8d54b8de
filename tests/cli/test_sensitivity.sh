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
run "what-if that does not exist" 64 "$bin" sensitivity "$spec" --scenario "$tmp/none.toml"

run "unknown method" 64 "$bin" sensitivity "$spec" --method fast
run "odd levels" 64 "$bin" sensitivity "$spec" --levels 5
run "missing spec" 74 "$bin" sensitivity "$tmp/none.toml"
sed 's/key = "observation.intercept"/key = "observation.intercep"/' "$spec" >"$tmp/bad.toml"
run "bad parameter key" 65 "$bin" sensitivity "$tmp/bad.toml"
expect "bad parameter key" "bad.toml:" "$err"
expect "bad parameter key" "observation.intercept" "$err"
finish
