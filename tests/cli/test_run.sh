#!/usr/bin/env bash
# End-to-end tests of `iskabm run`: a real run writes a complete HDF5 file that xarray opens, the
# same seed gives the same bytes, bad input exits non-zero leaving no output behind, and numbers on
# the command line are taken strictly.
#   test_run.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$1 src=$2
small=$src/tests/fixtures/small_config.toml

run "run the small configuration" 0 "$bin" run "$small" -o "$tmp/a/out.h5" --replicates 3 -q --log-level info
[ -f "$tmp/a/out.h5" ] || { echo "FAIL: no output file"; fails=$((fails + 1)); }
[ ! -e "$tmp/a/out.h5.tmp" ] || { echo "FAIL: temporary file left behind"; fails=$((fails + 1)); }
expect log "3 replicate(s) of 731 days" "$err"

(cd "$tmp" && mkdir -p b && cd b && "$bin" run "$small" -o "$tmp/a/../a/out2.h5" --replicates 3 -q 2>/dev/null)
run "summary table" 0 "$bin" run "$small" -o "$tmp/c/out.h5"
expect summary "country       year   attacks  observed      data   joint" "$out"
expect summary "ISK     2016" "$out"
# docs/output.md's "Reading from Python" block, run as written on a posterior-driven run's file.
run "a run for the documented xarray lines" 0 "$bin" run --replicates 3 -o "$tmp/c/doc.h5" -q --no-progress
/usr/bin/python3 - "$src/docs/output.md" "$tmp/c/doc.h5" <<'PY' && echo "ok   [docs/output.md's xarray lines run as written]" || { echo "FAIL: docs/output.md xarray lines"; fails=$((fails + 1)); }
import re, sys
doc = open(sys.argv[1]).read()
block = re.search(r"## Reading from Python\n\n```python\n(.*?)```", doc, re.S).group(1)
namespace = {}
exec(block.replace("results/baseline_2015_2018.h5", sys.argv[2]), namespace)
ds = namespace["ds"]
n = namespace["nangarhar_2017"]
assert set(n.province.values) == {"Nangarhar"} and n.sizes["time"] == 12, n
assert int(namespace["nangarhar"].sum()) == int(ds.attacks_observed.where(ds.province == "Nangarhar").sum())
assert "Nangarhar" in namespace["by_province"].province.values
assert list(namespace["by_country"].country_name.values) == ["Afghanistan", "Pakistan"]
assert int(namespace["by_province"].sum()) == int(ds.attacks_observed.sum())
for v in ("attacks", "group_members", "summary_statistics"):
    assert ds[v].attrs.get("long_name"), v
assert ds.attacks.attrs["cell_methods"] == "time: sum" and ds.time.attrs["bounds"] == "time_bnds"
assert str(ds.time_bnds.values[0, 1])[:10] == str(ds.time.values[1])[:10]
assert "calibrated_parameter_unit" in ds.coords and ds.calibrated_parameter_unit.size == ds.calibrated_parameter.size
PY
# Quiet means quiet; a mistyped option or command gets a suggestion; the exit codes are in the
# top-level help only.
run "run -q" 0 "$bin" run "$small" -o "$tmp/c/quiet.h5" --replicates 2 -q --no-progress
[ -z "$err" ] && [ -z "$out" ] && echo "ok   [-q prints nothing on success]" || { echo "FAIL: -q printed: $out $err"; fails=$((fails + 1)); }
run "a mistyped option" 64 "$bin" run "$small" --replicate 3
expect "option suggestion" "did you mean --replicates?" "$err"
run "a mistyped command" 64 "$bin" rn
expect "command suggestion" "did you mean 'run'?" "$err"
run "top-level help" 0 "$bin" --help
expect "footer in the top-level help" "Exit codes:" "$out"
run "run --help" 0 "$bin" run --help
grep -qF "Exit codes:" <<<"$out" && { echo "FAIL: the footer repeats under run --help"; fails=$((fails + 1)); } || echo "ok   [no footer under run --help]"
# Misfit where people look: a record value outside its 90 % interval is marked, and counted.
run "summary marks misfits" 0 "$bin" run "$small" -o "$tmp/c/miss.h5" --replicates 20 --no-progress
/usr/bin/python3 - "$tmp/c/miss.h5" "$out" <<'PY' && echo "ok   [MISS marks agree with the file]" || { echo "FAIL: MISS marks"; fails=$((fails + 1)); }
import re, sys
import numpy as np, xarray as xr
ds = xr.open_dataset(sys.argv[1])
text = sys.argv[2]
years = [int(y) for y in re.search(r"^country\s+(.*)$", text, re.M).group(1).split()]
record = {("Afghanistan", 2015): 2, ("Afghanistan", 2016): 23, ("Pakistan", 2015): 1, ("Pakistan", 2016): 3}
lines = text.splitlines()
lines = lines[:next(i for i, l in enumerate(lines) if l.startswith("\u00b1"))]  # the ensemble table only
misses = 0
for i, line in enumerate(lines):
    for country in ("Afghanistan", "Pakistan"):
        if not line.startswith(country):
            continue
        rec = lines[i + 1]
        cells = [rec[12 + 22 * k: 12 + 22 * (k + 1)] for k in range(len(years))]
        code = 0 if country == "Afghanistan" else 1
        for k, year in enumerate(years):
            obs = ds.attacks_observed.where(ds.district_country == code, drop=True).sel(time=str(year)).sum(("time", "district"))
            lo, hi = np.quantile(obs.values, [0.05, 0.95])
            outside = not (lo <= record[(country, year)] <= hi)
            assert ("MISS" in cells[k]) == outside, (country, year, cells[k], lo, hi)
            misses += outside
assert misses > 0, "the small run misses Afghanistan 2015 (2 attacks on the record)"
assert f"MISS: {misses} of the 4 record values" in text, text
PY

# Same seed and inputs -> the same bytes (history holds the command line, so compare like with like).
# The pause makes sure a stored timestamp would differ.
(cd "$tmp" && "$bin" run "$small" -o same.h5 -q --replicates 2 2>/dev/null && mv same.h5 first.h5 && sleep 1.1 &&
 "$bin" run "$small" -o same.h5 -q --replicates 2 2>/dev/null)
cmp -s "$tmp/first.h5" "$tmp/same.h5" && echo "ok   [byte-identical reruns]" || { echo "FAIL: reruns differ"; fails=$((fails + 1)); }
(cd "$tmp" && "$bin" run "$small" -o same.h5 -q --replicates 2 --seed 99 2>/dev/null)
cmp -s "$tmp/first.h5" "$tmp/same.h5" && { echo "FAIL: another seed gave the same file"; fails=$((fails + 1)); } || echo "ok   [another seed differs]"

/usr/bin/python3 - "$tmp/a/out.h5" <<'PY' && echo "ok   [xarray opens the file]" || { echo "FAIL: xarray check"; fails=$((fails + 1)); }
import sys
import xarray as xr
ds = xr.open_dataset(sys.argv[1])
assert dict(ds.sizes)["replicate"] == 3 and dict(ds.sizes)["time"] == 24 and dict(ds.sizes)["district"] == 546
assert list(ds.group.values) == ["ISK", "LeJ", "TTP"]
assert str(ds.time.values[0])[:10] == "2015-01-01"
assert int(ds.attacks.sum()) == ds.sizes["event"]
assert int(ds.attacks_observed.sum()) == int(ds.event_observed.sum())
assert ds.event_target.attrs["flag_meanings"].split()[0] == "civilians"
assert ds.attrs["Conventions"] == "CF-1.8" and int(ds.attrs["seed"]) == 42
PY

# Bad input: clear error, non-zero exit, nothing written.
sed 's/max_cells = 512/max_cells = 512\nmax_cell = 3/' "$small" > "$tmp/bad.toml"
run "unknown key" 65 "$bin" run "$tmp/bad.toml" -o "$tmp/bad/out.h5"
expect unknown "$tmp/bad.toml:10:1: run.max_cell: unknown key (did you mean 'max_cells'?)" "$err"
[ ! -e "$tmp/bad/out.h5" ] && [ ! -e "$tmp/bad/out.h5.tmp" ] || { echo "FAIL: output left after an error"; fails=$((fails + 1)); }
sed 's/end = 2016-12-31/end = 2014-12-31/' "$small" > "$tmp/bad2.toml"
run "end before start" 65 "$bin" run "$tmp/bad2.toml" -o "$tmp/bad/out.h5"
expect end "run.end: 2014-12-31 is before start 2015-01-01" "$err"
printf '[run\nstart = 2015-01-01\n' > "$tmp/bad3.toml"
run "TOML syntax error" 65 "$bin" run "$tmp/bad3.toml" -o "$tmp/bad/out.h5"
expect syntax "$tmp/bad3.toml:1:" "$err"
run "missing configuration" 74 "$bin" run "$tmp/nowhere.toml" -o "$tmp/bad/out.h5"
run "unwritable output" 74 "$bin" run "$small" -o /proc/iskabm/out.h5 -q
run "zero replicates" 64 "$bin" run "$small" --replicates 0

# The ensemble summary: medians with their Monte Carlo error; --precision says what is not yet known.
run "precision: strict" 0 "$bin" run "$small" -o "$tmp/p/strict.h5" --replicates 4 --precision 0.1 --no-progress
expect "precision: the errors" "median ±Monte Carlo error (90 % interval) against the record" "$out"
expect "precision: strict" "not yet known to 0.1 % of the median:" "$out"
expect "precision: replicates" "replicates (now 4) would know them all" "$out"
run "precision: loose" 0 "$bin" run "$small" -o "$tmp/p/loose.h5" --replicates 4 --precision 1000 --no-progress
expect "precision: loose" "every median above is known to 1000 % with 4 replicates" "$out"
run "precision: out of range" 64 "$bin" run "$small" -o "$tmp/p/bad.h5" --replicates 4 --precision 0

# Numbers on the command line are what the user typed or an error (issue 20): no wrap-around, no
# hexadecimal, no seed 0; --posterior and --no-posterior contradict each other. Nothing is written.
bad_option() {  # bad_option NAME MESSAGE ARGS...
  local name=$1 message=$2; shift 2
  run "$name" 64 "$bin" run "$small" -o "$tmp/o/out.h5" --replicates 1 "$@"
  expect "$name" "$message" "$err"
  [ ! -e "$tmp/o" ] || { echo "FAIL [$name]: output written"; fails=$((fails + 1)); rm -rf "$tmp/o"; }
}
bad_option "seed -1" "--seed: '-1' is not a whole number from 1 to 18446744073709551615" --seed -1
bad_option "seed 2^64" "--seed: '18446744073709551616' is not a whole number" --seed 18446744073709551616
bad_option "seed 0" "--seed: '0' is not a whole number from 1" --seed 0
bad_option "seed in hexadecimal" "--seed: '0x10' is not a whole number" --seed 0x10
bad_option "first replicate -2" "--first-replicate: '-2' is not a whole number from 0 to 4611686018427387904" --first-replicate -2
bad_option "first replicate 2^64-1" "--first-replicate: '18446744073709551615' is not a whole number" --first-replicate 18446744073709551615
bad_option "replicates in hexadecimal" "--replicates: '0x2' is not a whole number from 1 to 10000000" --replicates 0x2
bad_option "posterior and no posterior" "--posterior excludes --no-posterior" --posterior "$tmp/none.h5" --no-posterior
run "seed 2^64-1" 0 "$bin" run "$small" -o "$tmp/max/out.h5" --replicates 1 --seed 18446744073709551615 -q
finish
