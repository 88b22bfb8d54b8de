#!/usr/bin/env bash
# `iskabm history-match` end to end on a small spec, and `calibrate` bounded by it: the region
# narrows what the statistics inform, the file opens in xarray, the same bytes on any thread
# count, an interrupted history match continues, ABC-SMC samples only the region (run first by a
# [history_match] table, or from --from-history-match), and the errors name what is wrong.
bin=$1 src=$2
. "$(dirname "$0")/cli_test_lib.sh"
spec=$src/tests/fixtures/small_history_match.toml
export ISKABM_DATA_DIR=$src/data
cp "$src/tests/fixtures/small_config.toml" "$src/tests/fixtures/small_calibration.toml" "$spec" "$tmp/"

run "history match" 0 "$bin" history-match "$spec" --threads 2 -o "$tmp/hm.h5"
expect "history match" "history match: 2 wave(s), finished" "$out"
expect "history match" "attack.base_rate" "$out"
expect "history match" "wrote $tmp/hm.h5" "$out"
run "history match, one thread" 0 "$bin" history-match "$spec" --threads 1 -o "$tmp/hm1.h5"
cmp -s "$tmp/hm.h5" "$tmp/hm1.h5" && echo "ok   [hm.h5: same bytes on 1 and 2 threads]" || { echo "FAIL: hm.h5 differs by threads"; fails=$((fails + 1)); }
/usr/bin/python3 - "$tmp/hm.h5" <<'PY' && echo "ok   [hm.h5: xarray reads the region and the waves]" || { echo "FAIL: hm.h5"; fails=$((fails + 1)); }
import sys, numpy as np, xarray as xr
ds = xr.open_dataset(sys.argv[1])
assert ds.attrs["status"] == "finished" and int(ds.attrs["waves_complete"]) == 2, ds.attrs
assert list(ds.parameter.values) == ["attack.base_rate", "observation.intercept"]
assert ds.non_implausible_fraction.dims == ("wave",) and ds.sizes["wave"] == 2
assert (ds.non_implausible_fraction > 0).all()
# The yearly counts inform the attack rate: its region is narrower than its prior.
lo, hi = float(ds.region_lower.sel(parameter="attack.base_rate")), float(ds.region_upper.sel(parameter="attack.base_rate"))
assert 0 <= lo < hi <= 1 and hi - lo < 0.9, (lo, hi)
assert float(ds.region_upper_value.sel(parameter="attack.base_rate")) < 0.2
w = xr.open_dataset(sys.argv[1], group="waves/wave_01")
assert w.implausibility.dims == ("point", "statistic") and w.sizes["point"] == 48
ok = w.non_implausible.values == 1
assert (w.point_implausibility.values[ok] <= float(ds.attrs["cutoff"])).all()
# Every point of wave 1 lies in the box wave 0 left.
w0 = xr.open_dataset(sys.argv[1], group="waves/wave_00")
assert (w.design.values >= w0.next_lower.values - 1e-12).all() and (w.design.values <= w0.next_upper.values + 1e-12).all()
PY

# A history match stopped after one wave continues to the same result (the number of waves is a
# stopping rule, not part of what it matches).
run "one wave" 0 "$bin" history-match "$spec" --waves 1 -o "$tmp/part.h5"
expect "one wave" "1 wave(s), finished" "$out"
run "continued" 0 "$bin" history-match "$spec" -o "$tmp/part.h5"
expect "continued" "continuing $tmp/part.h5 after its 1 complete wave(s)" "$err"
cmp -s "$tmp/hm.h5" "$tmp/part.h5" && echo "ok   [continued: the same bytes as straight through]" || { echo "FAIL: continued differs"; fails=$((fails + 1)); }
# SIGINT once the match has begun (its first log line comes after the stop handlers are set; a
# fixed delay raced the data loading on a loaded machine, and the default handler then killed it).
"$bin" history-match "$spec" --threads 1 --points 4000 --log-level info -o "$tmp/stop.h5" >/dev/null 2>"$tmp/err" &
pid=$!
wait_for_line "$tmp/err" "history match of" $pid
kill -INT $pid 2>/dev/null; wait $pid; rc=$?
[ "$rc" = 130 ] && echo "ok   [interrupted history match exits 130]" || { echo "FAIL: interrupted exit $rc"; cat "$tmp/err"; fails=$((fails + 1)); }
expect "interrupted" "run the same command again to continue" "$(cat "$tmp/err")"
/usr/bin/python3 -c "import h5py,sys; f=h5py.File(sys.argv[1]); assert f.attrs['status'] in (b'running', 'running', b'interrupted', 'interrupted')" "$tmp/stop.h5" 2>/dev/null \
  || [ ! -e "$tmp/stop.h5" ] && echo "ok   [interrupted: no file, or one of complete waves]" || { echo "FAIL: interrupted file"; fails=$((fails + 1)); }

# calibrate runs the spec's history match first and samples only its region.
run "calibrate with a history match" 0 "$bin" calibrate "$tmp/small_history_match.toml" -q --log-level info -o "$tmp/post.h5"
expect "calibrate" "ABC-SMC within its region" "$err"
[ -f "$tmp/post_history_match.h5" ] && echo "ok   [history match beside the posterior]" || { echo "FAIL: no post_history_match.h5"; fails=$((fails + 1)); }
run "calibrate from the file" 0 "$bin" calibrate "$tmp/small_history_match.toml" -q -o "$tmp/post2.h5" --from-history-match "$tmp/hm.h5"
/usr/bin/python3 - "$tmp/post.h5" "$tmp/post2.h5" "$tmp/hm.h5" <<'PY' && echo "ok   [ABC-SMC within the region, either way the same]" || { echo "FAIL: bounded posterior"; fails=$((fails + 1)); }
import sys, h5py, numpy as np, xarray as xr
a, b, hm = h5py.File(sys.argv[1]), h5py.File(sys.argv[2]), xr.open_dataset(sys.argv[3])
upper = float(hm.region_upper_value.sel(parameter="attack.base_rate"))
assert np.isclose(a["prior_upper"][0], upper), (a["prior_upper"][:], upper)
last = sorted(a["generations"].keys())[-1]
theta = a["generations"][last]["theta"][:]
assert (theta[:, 0] <= upper).all()
assert np.array_equal(theta, b["generations"][last]["theta"][:])
assert a.attrs["fingerprint"] == b.attrs["fingerprint"]
# Generation 0 is the history match's non-implausible points (the last wave's first), not the prior.
f = h5py.File(sys.argv[3])
lo, hi = f["region_lower"][:], f["region_upper"][:]
nroy = [tuple(r) for name in ("wave_01", "wave_00")
        for r, u, ok in zip(f["waves"][name]["parameter_value"][:], f["waves"][name]["design"][:],
                            f["waves"][name]["non_implausible"][:]) if ok and (u >= lo).all() and (u <= hi).all()]
gen0 = [tuple(r) for r in a["generations"]["gen_000"]["theta"][:]]
assert gen0 == [nroy[i % len(nroy)] for i in range(len(gen0))], (gen0[:3], nroy[:3])
PY
fp1=$("$bin" calibrate "$tmp/small_history_match.toml" --print-fingerprint)
fp2=$("$bin" calibrate "$tmp/small_history_match.toml" --from-history-match "$tmp/hm.h5" --print-fingerprint)
[ -n "$fp1" ] && [ "$fp1" = "$fp2" ] && echo "ok   [fingerprint: the table's history match is the file's]" || { echo "FAIL: fingerprints $fp1 $fp2"; fails=$((fails + 1)); }
sed -i 's/^cutoff = .*//; s/^\[history_match\]/[history_match]\ncutoff = 4/' "$tmp/small_history_match.toml"
fp3=$("$bin" calibrate "$tmp/small_history_match.toml" --print-fingerprint)
[ "$fp3" != "$fp1" ] && echo "ok   [fingerprint: the cut-off is part of it]" || { echo "FAIL: cut-off not in the fingerprint"; fails=$((fails + 1)); }

# Errors: a file of another spec, an exhausted match, an unfinished one, bad keys.
run "another spec's file" 65 "$bin" calibrate "$tmp/small_calibration.toml" -q -o "$tmp/x.h5" --from-history-match "$tmp/hm.h5"
expect "another spec" "hm.h5: was made for another calibration" "$err"
run "exhausted" 65 "$bin" history-match "$tmp/small_calibration.toml" --points 16 --waves 1 -o "$tmp/none.h5"
expect "exhausted" "cannot match the record" "$err"
run "calibrate from an exhausted match" 65 "$bin" calibrate "$tmp/small_calibration.toml" -q -o "$tmp/x.h5" --from-history-match "$tmp/none.h5"
expect "exhausted" "found no non-implausible point" "$err"
cp "$spec" "$tmp/bad.toml"
sed -i 's/^replicates = 3/replicates = 1/' "$tmp/bad.toml"
run "one replicate" 65 "$bin" history-match "$tmp/bad.toml"
expect "one replicate" "bad.toml:" "$err"
expect "one replicate" "replicates" "$err"
cp "$spec" "$tmp/bad2.toml"
sed -i 's/^waves = 2/wave = 2/' "$tmp/bad2.toml"
run "unknown key" 65 "$bin" history-match "$tmp/bad2.toml"
expect "unknown key" "wave" "$err"
cp "$spec" "$tmp/bad3.toml"
echo 'implausibility = "fourth"' >>"$tmp/bad3.toml"
sed -i 's/^\[history_match\]/[history_match]\nimplausibility = "fourth"/' "$tmp/bad3.toml"
run "bad measure" 65 "$bin" history-match "$tmp/bad3.toml"
expect "bad measure" "implausibility" "$err"
finish
