#!/usr/bin/env bash
# End-to-end test of `iskabm report`: a small what-if ensemble with its baseline, and a small
# calibration's posterior file, each drawn into every figure (valid PNGs of sensible size, all
# referenced by report.html and listed in figures.tsv); bad input and missing Python packages
# exit non-zero with a clear message and leave the previous report as it was.
#   test_report.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$1 src=$(cd "$2" && pwd)
py=/usr/bin/python3

# check_report DIR FIGURE...: every named figure (and nothing unnamed) is a PNG of sensible size
# and pixel dimensions, listed in figures.tsv and referenced by report.html.
check_report() {
  local dir=$1; shift
  if "$py" - "$dir" "$@" <<'PY'; then echo "ok   [$(basename "$dir"): $# figures checked]"; else fails=$((fails + 1)); fi
import struct, sys, pathlib, re
d = pathlib.Path(sys.argv[1]); want = sys.argv[2:]
html = (d / "report.html").read_text()
listed = [l.split("\t")[0] for l in (d / "figures.tsv").read_text().splitlines() if l.strip()]
bad = []
pngs = sorted(p.name for p in d.glob("*.png"))
if sorted(want) != sorted(listed): bad.append(f"figures.tsv lists {sorted(listed)}, expected {sorted(want)}")
if sorted(want) != pngs: bad.append(f"PNG files {pngs}, expected {sorted(want)}")
for name in want:
    p = d / name
    if not p.exists(): bad.append(f"{name} missing"); continue
    b = p.read_bytes()
    if b[:8] != b"\x89PNG\r\n\x1a\n" or b[12:16] != b"IHDR": bad.append(f"{name}: not a PNG"); continue
    w, h = struct.unpack(">II", b[16:24])
    if not (400 <= w <= 4000 and 300 <= h <= 4000): bad.append(f"{name}: {w}x{h} pixels")
    if not (15_000 <= len(b) <= 3_000_000): bad.append(f"{name}: {len(b)} bytes")
    if not re.search(r'<img[^>]+src="%s"' % re.escape(name), html): bad.append(f"report.html does not show {name}")
if bad: print("FAIL:", *bad, sep="\n  "); sys.exit(1)
PY
}

run_figures="map_attacks.png monthly_attacks.png seasonality.png fatalities.png targets_tactics.png joint_attacks.png
  alliance_network.png group_strength.png predictive_check.png parameter_draws.png"
posterior_figures="posterior_marginals.png posterior_pairs.png abc_generations.png predictive_check.png
  identifiability.png"

run "baseline, 8 replicates" 0 "$bin" run "$src/scenarios/baseline_2015_2018.toml" -o "$tmp/base.h5" --replicates 8 -q --no-progress
run "what-if, 8 replicates" 0 "$bin" run "$src/scenarios/operational_ties_cut_2016.toml" -o "$tmp/whatif.h5" \
  --replicates 8 -q --no-progress

run "report of a run" 0 "$bin" report "$tmp/base.h5" -o "$tmp/report_base"
expect listing "figure(s) and report.html to" "$out"
expect progress "iskabm report: figure 1 of" "$err"
run "report -q" 0 "$bin" report "$tmp/base.h5" -o "$tmp/report_quiet" -q
[ -z "$out$err" ] && echo "ok   [report -q prints nothing]" || { echo "FAIL: report -q printed: $out $err"; fails=$((fails + 1)); }
# shellcheck disable=SC2086
check_report "$tmp/report_base" $run_figures

run "report of a what-if against its baseline" 0 "$bin" report "$tmp/whatif.h5" --baseline "$tmp/base.h5" \
  -o "$tmp/report_whatif"
# shellcheck disable=SC2086
check_report "$tmp/report_whatif" $run_figures differences.png whatif_vs_baseline.png district_differences.png
expect "what-if progress" "figure 13 of 13" "$err"
[ -s "$tmp/report_whatif/differences.csv" ] && echo "ok   [differences.csv]" || { echo "FAIL: differences.csv"; fails=$((fails + 1)); }
html=$(cat "$tmp/report_whatif/report.html")
expect html "Operational ties to the Pakistani allies cut from 2016" "$html"
# About the what-if: its heading, what it changes against the baseline, and its own description
# (never the baseline's: a derived scenario without one shows none).
expect "what-if heading" "iskabm what-if report: Operational ties to the Pakistani allies cut from 2016 (against Baseline 2015-2018)" "$html"
expect "changes listed" "changes against the baseline" "$html"
expect "a changed tie named" "[[alliance_tie]] groups" "$html"
base_description=$(/usr/bin/python3 -c "import tomllib,sys; print(tomllib.load(open(sys.argv[1],'rb')).get('description',''))" "$src/scenarios/baseline_2015_2018.toml")
whatif_description=$(/usr/bin/python3 -c "import tomllib,sys; print(tomllib.load(open(sys.argv[1],'rb')).get('description',''))" "$src/scenarios/operational_ties_cut_2016.toml")
if [ -n "$base_description" ] && [ "$base_description" != "$whatif_description" ] && grep -qF "${base_description:0:60}" <<<"$html"; then
  echo "FAIL: the what-if report shows the baseline's description"; fails=$((fails + 1))
else
  echo "ok   [the what-if report does not show the baseline's description]"
fi

run "a small calibration" 0 "$bin" calibrate "$src/tests/fixtures/small_calibration.toml" -o "$tmp/post.h5" \
  --max-generations 3 -q
run "report of a posterior file" 0 "$bin" report "$tmp/post.h5" -o "$tmp/report_post"
# shellcheck disable=SC2086
check_report "$tmp/report_post" $posterior_figures

# A run without breakdowns and events still gets every figure (panels say what is missing).
cat >"$tmp/lean.toml" <<TOML
base = "$src/scenarios/baseline_2015_2018.toml"
[output]
breakdowns = false
events = false
TOML
run "lean run" 0 "$bin" run "$tmp/lean.toml" -o "$tmp/lean.h5" --replicates 3 -q --no-progress --no-posterior
run "report of a lean run" 0 "$bin" report "$tmp/lean.h5" -o "$tmp/report_lean"
# shellcheck disable=SC2086
check_report "$tmp/report_lean" ${run_figures/parameter_draws.png/}

# Errors: each exits non-zero, names the problem, and leaves the previous report untouched.
cp "$tmp/report_base/report.html" "$tmp/before.html"
printf 'not hdf5\n' >"$tmp/bad.h5"
run "not an HDF5 file" 74 "$bin" report "$tmp/bad.h5" -o "$tmp/report_base"
expect message "bad.h5: not an HDF5 file" "$err"
"$py" -c "import h5py, sys; h5py.File(sys.argv[1], 'w')['x'] = [1, 2, 3]" "$tmp/other.h5"
run "an HDF5 file that is not iskabm's" 74 "$bin" report "$tmp/other.h5" -o "$tmp/report_base"
expect message "not an iskabm result file" "$err"
run "baseline with a posterior file" 64 "$bin" report "$tmp/post.h5" --baseline "$tmp/base.h5" -o "$tmp/report_base"
head -c 20000 "$tmp/base.h5" >"$tmp/truncated.h5"
run "truncated result file" 74 "$bin" report "$tmp/truncated.h5" -o "$tmp/report_base"
"$bin" run "$src/scenarios/baseline_2015_2018.toml" -o "$tmp/part.h5" --replicates 400 --threads 1 --no-progress -q &
pid=$!
for _ in $(seq 100); do [ -f "$tmp/part.h5.tmp" ] && break; sleep 0.05; done
sleep 0.5; kill -TERM $pid; wait $pid
run "an interrupted run's .tmp" 74 "$bin" report "$tmp/part.h5.tmp" -o "$tmp/report_base"
expect message "an interrupted run's temporary file" "$err"
cp "$tmp/part.h5.tmp" "$tmp/renamed.h5"
run "an interrupted run's .tmp, renamed" 74 "$bin" report "$tmp/renamed.h5" -o "$tmp/report_base"
expect message "incomplete result" "$err"
run "baselines that cannot be paired" 64 "$bin" report "$tmp/whatif.h5" --baseline "$tmp/lean.h5" -o "$tmp/report_base"
# Missing packages: a Python that cannot see Debian's site packages.
printf '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n' >"$tmp/bare-python"; chmod +x "$tmp/bare-python"
run "missing Python packages" 69 "$bin" report "$tmp/base.h5" -o "$tmp/report_base" --python "$tmp/bare-python"
expect message "python3-matplotlib" "$err"
expect message "apt-get install" "$err"
run "no Python at all" 69 env ISKABM_PYTHON="$tmp/no-such-python" "$bin" report "$tmp/base.h5" -o "$tmp/report_base"
# SIGTERM while the figures are drawn: exit 143, the Python process stopped, nothing replaced.
"$bin" report "$tmp/base.h5" -o "$tmp/report_base" -q 2>/dev/null &
pid=$!
for _ in $(seq 100); do ls -d "$tmp"/report_base.tmp-* >/dev/null 2>&1 && break; sleep 0.05; done
sleep 1; kill -TERM $pid; wait $pid; rc=$?
[ "$rc" = 143 ] && echo "ok   [SIGTERM: exit 143]" || { echo "FAIL: SIGTERM gave exit $rc"; fails=$((fails + 1)); }
sleep 0.5
pgrep -f "iskabm_report.py --input $tmp/base.h5" >/dev/null && { echo "FAIL: the Python process outlived iskabm"; fails=$((fails + 1)); }
cmp -s "$tmp/before.html" "$tmp/report_base/report.html" && echo "ok   [previous report kept]" || { echo "FAIL: previous report changed"; fails=$((fails + 1)); }
left=$(find "$tmp" -maxdepth 1 -name 'report_*.tmp-*' | wc -l)
[ "$left" = 0 ] && echo "ok   [no staging directory left]" || { echo "FAIL: staging left"; fails=$((fails + 1)); }
finish
