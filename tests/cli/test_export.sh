#!/usr/bin/env bash
# End-to-end test of `iskabm export`: a small posterior-driven ensemble exported to tidy CSV;
# totals checked against the HDF5 file read independently with h5py; the output directory is
# replaced whole; bad input exits non-zero with a clear message and leaves the previous export.
#   test_export.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$1 src=$2
py=/usr/bin/python3

run "a 6-replicate ensemble" 0 "$bin" run "$src/scenarios/baseline_2015_2018.toml" -o "$tmp/run.h5" --replicates 6 \
  -q --no-progress
run "export" 0 "$bin" export "$tmp/run.h5" --csv "$tmp/csv"
expect summary "exported 6 replicate(s)" "$out"
for f in districts district_month district_month_breakdown group_month replicate_totals replicate_window_totals \
         country_month province_year replicate_statistics replicate_parameters events metadata; do
  [ -s "$tmp/csv/$f.csv" ] && echo "ok   [$f.csv]" || { echo "FAIL: $f.csv missing"; fails=$((fails + 1)); }
done
[ -s "$tmp/csv/configuration.toml" ] || { echo "FAIL: configuration.toml"; fails=$((fails + 1)); }
expect header "replicate,month,district,country,province,variable,value" "$(head -1 "$tmp/csv/district_month.csv")"
expect metadata "history,iskabm run baseline_2015_2018.toml --seed 20150126" "$(cat "$tmp/csv/metadata.csv")"

# Round trip: CSV totals equal the HDF5 totals (h5py, not iskabm's reader).
if "$py" - "$tmp/run.h5" "$tmp/csv" <<'PY'; then echo "ok   [CSV totals = HDF5 totals]"; else echo "FAIL: round trip"; fails=$((fails + 1)); fi
import csv, sys, collections
import h5py, numpy as np
h5, d = sys.argv[1], sys.argv[2]
f = h5py.File(h5, "r")
def sums(name, key, value="value"):
    out = collections.Counter()
    with open(f"{d}/{name}") as fh:
        for row in csv.DictReader(fh):
            out[row[key]] += int(row[value])
    return out
bad = []
dm = sums("district_month.csv", "variable")
for v in ["attacks", "attacks_observed", "fatalities", "fatalities_observed"]:
    if dm[v] != int(np.sum(f[v][...])): bad.append((v, dm[v], int(np.sum(f[v][...]))))
bd = sums("district_month_breakdown.csv", "variable")
for v in ["joint_attacks", "attacks_by_target", "attacks_by_tactic"]:
    if bd[v] != int(np.sum(f[v][...])): bad.append(v)
gm = sums("group_month.csv", "variable")
for v in [k for k in f.keys() if k.startswith("group_")]:
    if gm[v] != int(np.sum(f[v][...])): bad.append(v)
ev = sums("events.csv", "replicate", "fatalities")
if sum(ev.values()) != int(np.sum(f["event_fatalities"][...])): bad.append("event fatalities")
tot = collections.Counter()
with open(f"{d}/replicate_totals.csv") as fh:
    for row in csv.DictReader(fh):
        assert row["country"] in ("Afghanistan", "Pakistan") and row["year"].isdigit(), row  # typed columns only
        tot[row["variable"]] += int(row["value"])
if tot["attacks"] != int(np.sum(f["attacks"][...])): bad.append("replicate totals")
# The dense aggregates: every replicate x month x country and replicate x year x province row,
# zeros included, adding up to the file's totals; per-replicate medians need no completion.
R, M = f["attacks"].shape[0], f["attacks"].shape[1]
variables = {r["variable"] for r in csv.DictReader(open(f"{d}/replicate_totals.csv"))}
cm = list(csv.DictReader(open(f"{d}/country_month.csv")))
if len(cm) != R * M * 2 * len(variables): bad.append(f"country_month rows {len(cm)}")
if sum(int(r["value"]) for r in cm if r["variable"] == "attacks") != int(np.sum(f["attacks"][...])): bad.append("country_month total")
py = list(csv.DictReader(open(f"{d}/province_year.csv")))
provinces = {p.decode() if isinstance(p, bytes) else p for p in f["province"][...]}
years = {r["year"] for r in py}
if len(py) != R * len(years) * len(provinces) * len(variables): bad.append(f"province_year rows {len(py)}")
if sum(int(r["value"]) for r in py if r["variable"] == "attacks_observed") != int(np.sum(f["attacks_observed"][...])): bad.append("province_year total")
wt = list(csv.DictReader(open(f"{d}/replicate_window_totals.csv")))
if any(int(r["both_countries"]) != int(r["Afghanistan"]) + int(r["Pakistan"]) for r in wt): bad.append("window totals")
if sum(int(r["both_countries"]) for r in wt if r["variable"] == "fatalities") != int(np.sum(f["fatalities"][...])): bad.append("window fatalities")
par = collections.Counter()
with open(f"{d}/replicate_parameters.csv") as fh:
    rows = list(csv.DictReader(fh))
if len(rows) != f["parameter_values"].size: bad.append("parameters")
if abs(float(rows[0]["value"]) - float(f["parameter_values"][0, 0])) > 0: bad.append("parameter value")
if bad: print(bad); sys.exit(1)
PY

# Dense export: every replicate x month x district x variable row.
run "dense export" 0 "$bin" export "$tmp/run.h5" --csv "$tmp/dense" --dense -q
rows=$(($(wc -l <"$tmp/dense/district_month.csv") - 1))
months=$("$py" -c "import h5py,sys; print(h5py.File(sys.argv[1],'r')['time'].size)" "$tmp/run.h5")
variables=$("$bin" schema --json | grep -c '"role": "district_month"')
[ "$rows" = $((6 * months * 546 * variables)) ] && echo "ok   [dense rows: $rows]" || { echo "FAIL: dense rows $rows"; fails=$((fails + 1)); }
# docs/export.md's completion one-liner turns the sparse table into the dense one.
"$py" - "$tmp/csv" "$tmp/dense" <<'PY' && echo "ok   [the documented pandas completion gives the dense table]" || { echo "FAIL: completion"; fails=$((fails + 1)); }
import sys
import pandas as pd
sparse_dir, dense_dir = sys.argv[1], sys.argv[2]
dm = pd.read_csv(f"{sparse_dir}/district_month.csv")
districts = pd.read_csv(f"{sparse_dir}/districts.csv").district        # every district of the map
months = pd.read_csv(f"{sparse_dir}/country_month.csv").month.unique()  # every month of the window
keys = ["replicate", "month", "district", "variable"]
grid = pd.MultiIndex.from_product([dm.replicate.unique(), months, districts, dm.variable.unique()], names=keys)
full = dm.set_index(keys).value.reindex(grid, fill_value=0).reset_index()
dense = pd.read_csv(f"{dense_dir}/district_month.csv")
merged = dense.merge(full, on=keys, suffixes=("_dense", "_full"))
assert len(full) == len(dense) == len(merged), (len(full), len(dense), len(merged))
assert (merged.value_dense == merged.value_full).all()
PY

# Errors: the previous export stays, no staging directory is left behind.
cp "$tmp/csv/metadata.csv" "$tmp/metadata.before"
run "missing input" 74 "$bin" export "$tmp/nope.h5" --csv "$tmp/csv"
expect message "nope.h5" "$err"
printf 'not hdf5\n' >"$tmp/bad.h5"
run "not an HDF5 file" 74 "$bin" export "$tmp/bad.h5" --csv "$tmp/csv"
expect message "bad.h5" "$err"
run "a posterior file is not a result file" 74 "$bin" export "$src/tests/fixtures/small_calibration.toml" --csv "$tmp/csv"
# An interrupted run's partial file: run 30 replicates, stop it, export the .tmp.
"$bin" run "$src/scenarios/baseline_2015_2018.toml" -o "$tmp/part.h5" --replicates 400 --threads 1 --no-progress -q &
pid=$!
for _ in $(seq 1200); do [ -f "$tmp/part.h5.tmp" ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.05; done
sleep 0.5; kill -TERM $pid; wait $pid
run "an interrupted run's .tmp" 74 "$bin" export "$tmp/part.h5.tmp" --csv "$tmp/csv"
expect message "an interrupted run's temporary file" "$err"
cp "$tmp/part.h5.tmp" "$tmp/renamed.h5"  # renamed, it still holds too few replicates
run "an interrupted run's .tmp, renamed" 74 "$bin" export "$tmp/renamed.h5" --csv "$tmp/csv"
expect message "incomplete result" "$err"
expect message "of the 400 replicates" "$err"
cmp -s "$tmp/metadata.before" "$tmp/csv/metadata.csv" && echo "ok   [previous export kept]" || { echo "FAIL: previous export changed"; fails=$((fails + 1)); }
left=$(ls "$tmp" | grep -c 'csv\.tmp-' || true)
[ "$left" = 0 ] && echo "ok   [no staging directory left]" || { echo "FAIL: staging left"; fails=$((fails + 1)); }
finish
