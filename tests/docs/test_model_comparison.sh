#!/usr/bin/env bash
# tools/ablation/model_comparison.py turns run_ablation.sh's files into docs/model-comparison.md's
# table. This builds the files of two variants by hand (posterior, check-fit, score, export) and
# checks every column of their rows, the rows of variants not run, the baselines and --doc.
#   test_model_comparison.sh SOURCE_DIR
set -u
src=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iskabm-comparison.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp" <<'PY' || { echo "FAIL: could not build the fixture"; exit 1; }
import os, sys
import h5py, numpy as np
out = sys.argv[1]
names = ["observed_attacks_Afghanistan_2015", "observed_attacks_kabul", "focal_members_mean_2017"]
observed = np.array([2.0, 52.0, 2375.0])
# Final populations: v2 close to the record, v1 far from it (two particles each, equal weights).
pops = {"v2": np.array([[2.0, 50.0, 2300.0], [4.0, 56.0, 2500.0]]),
        "v1": np.array([[20.0, 10.0, 6000.0], [24.0, 12.0, 5000.0]])}
for v, x in pops.items():
    d = os.path.join(out, v)
    os.makedirs(os.path.join(d, "ppc_export"))
    with h5py.File(os.path.join(d, "posterior.h5"), "w") as f:
        f["statistic"] = np.array([n.encode() for n in names])
        f["statistics"] = x
        f["weight"] = np.array([0.5, 0.5])
        f["observed_statistics"] = observed
        f["statistic_weight"] = np.ones(3)
        for k, val in (("title", b"fixture"), ("status", b"finished"), ("stop_reason", b"budget"),
                       ("fingerprint", b"seed 1\n")):
            f.attrs[k] = val
        f.attrs["generations_complete"], f.attrs["simulations_total"], f.attrs["seed"] = 3, 1200, 1
    import shutil
    shutil.copyfile(os.path.join(d, "posterior.h5"), os.path.join(d, "holdout_posterior.h5"))
    inside = "1" if v == "v2" else "0"
    rows = ["kind,name,label,observed,median,q05,q95,rank,inside_90,replicates"]
    for c in ("Afghanistan", "Pakistan"):
        for y in range(2014, 2019):
            rows.append(f"statistic,observed_attacks_{c}_{y},,{3},{3},{1},{5},0.5,{inside if y != 2016 else '0'},200")
    for city in ("kabul", "jalalabad", "quetta"):
        rows.append(f"statistic,observed_attacks_{city},,10,9,5,20,0.5,{'1' if city != 'quetta' else '0'},200")
    rows.append("statistic,observed_monthly_autocorrelation_Afghanistan,,0.724,0.5,0.15,0.72,0.95,0,200")
    rows.append(f"statistic,focal_members_mean_2017,,2375,1476,545,3065,0.8,1,200")
    rows.append("district,AFG-187,Kabul,52,27,7,72,0.85,1,200")
    open(os.path.join(d, "check_fit.csv"), "w").write("\n".join(rows) + "\n")
    score = ["forecaster,scope,cases,crps,log_score,coverage_50,coverage_90,forecast_total,observed_total"]
    score.append(f"model,overall,12,{1.5 if v == 'v2' else 2.26},{2.1 if v == 'v2' else 2.56},0.5,0.9,40,48")
    if v == "v2":  # v1 was scored before the conditioned row existed
        score.append("model_conditioned,overall,12,1.25,1.95,0.5,0.9,47,48")
    score.append("hawkes,overall,12,1.56,2.21,0.5,0.83,50,48")
    score.append("model,Afghanistan,6,9,9,0,0,1,1")
    open(os.path.join(d, "score.csv"), "w").write("\n".join(score) + "\n")
    tot = ["replicate,variable,country,year,value"]
    for r, (a, b) in enumerate([(10, 20), (30, 40), (50, 60)]):
        tot += [f"{r},attacks,Pakistan,2017,{a}", f"{r},attacks,Pakistan,2018,{b}", f"{r},attacks,Afghanistan,2018,999"]
    open(os.path.join(d, "ppc_export", "replicate_totals.csv"), "w").write("\n".join(tot) + "\n")
    open(os.path.join(d, "summary.done"), "w").write("done\n")
PY

table=$(/usr/bin/python3 "$src/tools/ablation/model_comparison.py" "$tmp") || { echo "FAIL: model_comparison.py"; exit 1; }
fails=0
expect() {  # expect PATTERN WHY
  grep -qF -- "$1" <<<"$table" || { echo "FAIL: $2: no '$1' in"; echo "$table"; fails=$((fails + 1)); }
}
# v2: of the 13 defined statistics (8 country-years, 2014 excluded; 3 cities; autocorrelation;
# strength), 9 inside: the years but 2016, Kabul and Jalalabad, the strength;
# + strength: yearly 6 of 8, Kabul/Jalalabad inside, Quetta not; Pakistan 2017+2018 medians 30, 70, 110 -> 70.
expect "| **v2** (all mechanisms) |" "the v2 row"
expect "| 9 of 13 | 6 | ✓/✓/✗ | 0.50 (0.15–0.72) ✗ | 1,476 (545–3,065) | 70 | 1.50 | 2.10 | 1.25 | 1.95 |" "v2's columns"
expect "| 3 of 13 | 0 | ✓/✓/✗ |" "v1's columns"
expect "| 2.26 | 2.56 | – | – |" "v1 without a conditioned row"
expect "| v2 − urban network | not run |" "a variant not run"
grep -qE "an earlier calibration|calibrated with another seed" <<<"$table" && { echo "FAIL: an optional row without its files is listed"; fails=$((fails + 1)); }
expect "| baseline: hawkes | | | | | | | | 1.56 | 2.21 | | |" "the Hawkes baseline"
grep -qF "baseline: model_conditioned" <<<"$table" && { echo "FAIL: the conditioned model listed as a baseline"; fails=$((fails + 1)); }
# The common-scale distance: v2's final population is nearer the record than v1's.
d2=$(grep -F "**v2**" <<<"$table" | cut -d'|' -f3 | tr -d ' ')
d1=$(grep -F "| v1 (v1" <<<"$table" | cut -d'|' -f3 | tr -d ' ')
/usr/bin/python3 -c "import sys; sys.exit(0 if float('$d2') < float('$d1') else 1)" ||
  { echo "FAIL: v2's distance $d2 is not below v1's $d1"; fails=$((fails + 1)); }

# An optional row (a further calibration of v2) appears when its files do, and leaves the other
# rows' common-scale distance alone.
cp -r "$tmp/v2" "$tmp/v2_seed7"
table2=$(/usr/bin/python3 "$src/tools/ablation/model_comparison.py" "$tmp") || { echo "FAIL: model_comparison.py with an optional row"; exit 1; }
grep -qF "| v2, calibrated with another seed (7)" <<<"$table2" || { echo "FAIL: the optional row is missing"; fails=$((fails + 1)); }
[ "$(grep -F "| v1 (v1" <<<"$table" | cut -d'|' -f3)" = "$(grep -F "| v1 (v1" <<<"$table2" | cut -d'|' -f3)" ] ||
  { echo "FAIL: an optional row moved v1's distance"; fails=$((fails + 1)); }
rm -rf "$tmp/v2_seed7"

# --doc replaces the text between the markers and nothing else.
printf 'before\n<!-- ablation:begin -->\nold\n<!-- ablation:end -->\nafter\n' > "$tmp/doc.md"
/usr/bin/python3 "$src/tools/ablation/model_comparison.py" "$tmp" --doc "$tmp/doc.md" || { echo "FAIL: --doc"; exit 1; }
grep -q '^before$' "$tmp/doc.md" && grep -q '^after$' "$tmp/doc.md" && ! grep -q '^old$' "$tmp/doc.md" &&
  grep -qF "**v2** (all mechanisms)" "$tmp/doc.md" || { echo "FAIL: --doc did not replace the table"; fails=$((fails + 1)); }
# --record keeps each finished variant's small files (no HDF5) in a directory of its own, and the
# table read back from that record alone is the same table.
/usr/bin/python3 "$src/tools/ablation/model_comparison.py" "$tmp" --record "$tmp/record" > "$tmp/recorded.md" 2>/dev/null ||
  { echo "FAIL: --record"; exit 1; }
[ "$(cat "$tmp/recorded.md")" = "$table" ] || { echo "FAIL: the table from --record differs:"; cat "$tmp/recorded.md"; fails=$((fails + 1)); }
for f in check_fit.csv score.csv summary.done final_population.csv pakistan_attacks.csv calibrations.txt; do
  [ -s "$tmp/record/v2/$f" ] || { echo "FAIL: the record has no v2/$f"; fails=$((fails + 1)); }
done
[ -z "$(find "$tmp/record" -name '*.h5')" ] || { echo "FAIL: the record holds HDF5 files"; fails=$((fails + 1)); }
grep -qF "posterior.h5: fixture; finished (budget); 3 generations, 1,200 simulations; seed 1; fingerprint" "$tmp/record/v1/calibrations.txt" ||
  { echo "FAIL: the record's calibrations.txt"; cat "$tmp/record/v1/calibrations.txt"; fails=$((fails + 1)); }
mv "$tmp/v2" "$tmp/v2.away"; mv "$tmp/v1" "$tmp/v1.away"
[ "$(/usr/bin/python3 "$src/tools/ablation/model_comparison.py" "$tmp/record")" = "$table" ] ||
  { echo "FAIL: the table read from the record alone differs"; fails=$((fails + 1)); }

[ $fails = 0 ] && echo "model_comparison.py builds the ablation table"
exit $fails
