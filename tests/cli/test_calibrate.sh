#!/usr/bin/env bash
# End-to-end tests of `iskabm calibrate` and `iskabm run --posterior` on the small test
# calibration: the posterior file opens in xarray; the result does not depend on the thread count;
# a calibration stopped after some generations (by its limits or by SIGTERM) and resumed gives
# the bytes of an uninterrupted one; bad specs and mismatched resumes are refused clearly.
#   test_calibrate.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$1 src=$2
spec=$src/tests/fixtures/small_calibration.toml

run "calibrate (2 threads)" 0 "$bin" calibrate "$spec" -o "$tmp/a.h5" --threads 2
expect table "posterior after 3 generation(s)" "$out"
expect table "attack.base_rate" "$out"
expect table "observed_attacks_Afghanistan_2016" "$out"
expect log "generation  2:" "$err"
run "calibrate (1 thread)" 0 "$bin" calibrate "$spec" -o "$tmp/b.h5" --threads 1 -q --log-level info
cmp -s "$tmp/a.h5" "$tmp/b.h5" && echo "ok   [1 and 2 threads: identical files]" || { echo "FAIL: thread count changed the posterior"; fails=$((fails + 1)); }

# Stopped after generation 1 by its limits, then resumed: identical to the uninterrupted file.
run "calibrate, 2 generations" 0 "$bin" calibrate "$spec" -o "$tmp/c.h5" --max-generations 2 -q --log-level info
run "resume to 3" 0 "$bin" calibrate "$spec" -o "$tmp/c.h5" --resume -q --log-level info
expect resume "resuming after generation 1" "$err"
cmp -s "$tmp/a.h5" "$tmp/c.h5" && echo "ok   [resumed = uninterrupted]" || { echo "FAIL: resumed posterior differs"; fails=$((fails + 1)); }

# SIGTERM during a longer calibration: exit 143, a whole file marked interrupted; resume finishes it.
sed -e 's/max_generations = 3/max_generations = 6/' -e 's/population = 24/population = 60/' \
    -e "s#scenario = \"small_config.toml\"#scenario = \"$src/tests/fixtures/small_config.toml\"#" "$spec" >"$tmp/long.toml"
"$bin" calibrate "$tmp/long.toml" -o "$tmp/d.h5" --threads 1 -q --log-level info >"$tmp/out" 2>"$tmp/err" &
pid=$!
wait_for_line "$tmp/err" "generation  1:" "$pid"
kill -TERM "$pid"; wait "$pid"; rc=$?
if [ "$rc" = 143 ]; then
  echo "ok   [SIGTERM: exit 143]"
  /usr/bin/python3 -c "
import h5py, sys
f = h5py.File(sys.argv[1])
assert f.attrs['status'] in (b'interrupted', 'interrupted'), f.attrs['status']
assert f.attrs['generations_complete'] >= 1
" "$tmp/d.h5" && echo "ok   [interrupted file is whole]" || { echo "FAIL: interrupted file"; fails=$((fails + 1)); }
  run "resume after SIGTERM" 0 "$bin" calibrate "$tmp/long.toml" -o "$tmp/d.h5" --resume -q --log-level info
  run "uninterrupted long" 0 "$bin" calibrate "$tmp/long.toml" -o "$tmp/e.h5" -q --log-level info
  cmp -s "$tmp/d.h5" "$tmp/e.h5" && echo "ok   [resumed after SIGTERM = uninterrupted]" || { echo "FAIL: resumed after SIGTERM differs"; fails=$((fails + 1)); }
elif [ "$rc" = 0 ]; then
  echo "note [the calibration finished before SIGTERM arrived; interruption not exercised]"
else
  echo "FAIL [SIGTERM]: exit $rc"; cat "$tmp/err"; fails=$((fails + 1))
fi

# The posterior file: xarray opens it; summaries, identifiability and every generation are there.
/usr/bin/python3 - "$tmp/a.h5" <<'PY' && echo "ok   [xarray opens the posterior]" || { echo "FAIL: xarray check"; fails=$((fails + 1)); }
import sys, xarray as xr, numpy as np
ds = xr.open_dataset(sys.argv[1])
assert list(ds.parameter.values) == ["attack.base_rate", "observation.intercept"], ds.parameter.values
assert ds.theta.shape == (24, 2) and abs(float(ds.weight.sum()) - 1) < 1e-9
assert ds.attrs["status"] == "finished" and ds.attrs["generations_complete"] == 3
assert (ds.posterior_q05 <= ds.posterior_median).all() and (ds.posterior_median <= ds.posterior_q95).all()
assert ((ds.identifiability > 0) & (ds.identifiability < 2)).all()
assert (np.diff(ds.simulations_total.values) > 0).all()
g = xr.open_dataset(sys.argv[1], group="generations/gen_002")
assert np.allclose(g.theta.values, ds.theta.values) and g.attrs["complete"] == 1
PY

# run --posterior: each replicate draws its parameters; stored per replicate; reproducible.
run "run --posterior" 0 "$bin" run "$src/tests/fixtures/small_config.toml" --posterior "$tmp/a.h5" \
  --replicates 8 -o "$tmp/p1.h5" -q --log-level info --no-progress --threads 2
expect posterior "parameters drawn from" "$err"
run "run --posterior (1 thread)" 0 "$bin" run "$src/tests/fixtures/small_config.toml" --posterior "$tmp/a.h5" \
  --replicates 8 -o "$tmp/p2.h5" -q --log-level info --no-progress --threads 1
cmp -s "$tmp/p1.h5" "$tmp/p2.h5" && echo "ok   [posterior run: thread count does not matter]" || { echo "FAIL: posterior run differs"; fails=$((fails + 1)); }
/usr/bin/python3 - "$tmp/p1.h5" "$tmp/a.h5" <<'PY' && echo "ok   [parameter_values are posterior particles]" || { echo "FAIL: parameter_values"; fails=$((fails + 1)); }
import sys, xarray as xr, numpy as np
run, post = xr.open_dataset(sys.argv[1]), xr.open_dataset(sys.argv[2])
v = run.parameter_values.values
assert v.shape == (8, 2), v.shape
assert list(run.calibrated_parameter.values) == list(post.parameter.values)
for row in v:
    assert np.isclose(post.theta.values, row).all(axis=1).any(), row
assert len({tuple(r) for r in v}) > 1, "every replicate drew the same particle"
assert "posterior" in run.attrs and "--posterior a.h5" in run.attrs["history"]
PY

# check-fit: the posterior predictive check of that run, recomputed here from the file.
run "check-fit" 0 "$bin" check-fit "$tmp/p1.h5" --csv "$tmp/fit.csv" --districts 3
expect fit "8 replicates, 2015-01..2016-12" "$out"
expect fit "observed attacks, Afghanistan 2016" "$out"
# Misfits first: in the statistics block no MISS line follows a line that is not one.
awk '/^statistic \(misfits first\)/ {block = 1; next} block && /^$/ {block = 0} block {
       if ($0 ~ /MISS: outside 90 %/) { if (seen_fit) bad = 1 } else if ($0 !~ /not simulated/) seen_fit = 1 }
     END {exit bad}' <<<"$out" && echo "ok   [check-fit lists the misfits first]" ||
  { echo "FAIL: check-fit order"; fails=$((fails + 1)); }
expect fit "statistics inside their 90 % interval" "$out"
/usr/bin/python3 - "$tmp/p1.h5" "$tmp/fit.csv" <<'PY' && echo "ok   [check-fit ranks and intervals match the file]" || { echo "FAIL: check-fit values"; fails=$((fails + 1)); }
import sys, csv, numpy as np, xarray as xr
ds = xr.open_dataset(sys.argv[1])
rows = [r for r in csv.DictReader(open(sys.argv[2])) if r["kind"] == "statistic"]
assert len(rows) == int(np.isfinite(ds.observed_statistics).sum())
for r in rows:
    sims = ds.summary_statistics.sel(statistic=r["name"]).values
    sims = sims[np.isfinite(sims)]
    obs = float(ds.observed_statistics.sel(statistic=r["name"]))
    assert np.isclose(float(r["observed"]), obs)
    assert r["label"] == str(ds.statistic_meaning.sel(statistic=r["name"]).values), r  # readable label
    if len(sims) == 0:  # e.g. 2017 strength in a 2015-2016 run
        assert r["median"] == "nan" and r["replicates"] == "0", r
        continue
    assert np.isclose(float(r["median"]), np.median(sims)), r
    rank = (np.sum(sims < obs) + 0.5 * np.sum(sims == obs)) / len(sims)
    assert np.isclose(float(r["rank"]), rank), (r, rank)
districts = [r for r in csv.DictReader(open(sys.argv[2])) if r["kind"] == "district"]
assert len(districts) == 3 and districts[0]["name"] == "AFG-187", districts
# Validation figures inside the 2015-2016 window: F26, the deadliest reported ISK attack in
# Pakistan in 2016 (61 killed), recomputed from the events.
val = {r["name"]: r for r in csv.DictReader(open(sys.argv[2])) if r["kind"] == "validation"}
assert set(val) == {"F26"}, val
day = ds.event_time.values.astype("datetime64[D]") if ds.event_time.dtype.kind == "M" else None
import datetime
years = np.array([(datetime.date(1970, 1, 1) + datetime.timedelta(days=int(t))).year for t in ds.event_time.values]) \
    if day is None else day.astype("datetime64[Y]").astype(int) + 1970
pak = ds.district_country.values[ds.event_district.values] == 1
isk = ds.event_group.values == list(ds.group.values).index("ISK")
keep = pak & isk & (ds.event_observed.values == 1) & (years == 2016)
worst = []
for rep in ds.replicate.values:
    f = ds.event_fatalities.values[keep & (ds.event_replicate.values == rep)]
    worst.append(f.max() if len(f) else 0)
assert np.isclose(float(val["F26"]["median"]), np.median(worst)), (val["F26"], worst)
assert np.isclose(float(val["F26"]["observed"]), 61)
PY
expect "validation section" "validation figures (declared validation only in" "$out"
expect "validation section" "F26    killed in the deadliest reported ISK attack, Pakistan, 2016" "$out"
expect "validation section" "not covered by this run's window: F10" "$out"
expect "validation section" "not modelled: F08 (air strikes are an input" "$out"
run "check-fit of a file that is not a run" 65 "$bin" check-fit "$tmp/a.h5"
expect notrun "not a result file of iskabm run" "$err"

# The coverage study: deterministic, one CSV row per truth and parameter.
run "coverage study" 0 "$bin" coverage "$spec" --truths 3 --csv "$tmp/cov.csv"
expect coverage "synthetic-truth coverage of Small test calibration: 3 truths" "$out"
expect coverage "attack.base_rate" "$out"
[ "$(wc -l <"$tmp/cov.csv")" = 7 ] && echo "ok   [coverage csv: header + 3 x 2 rows]" || { echo "FAIL: coverage csv"; fails=$((fails + 1)); }
run "coverage study again" 0 "$bin" coverage "$spec" --truths 3 --csv "$tmp/cov2.csv" --threads 1
cmp -s "$tmp/cov.csv" "$tmp/cov2.csv" && echo "ok   [coverage study reproducible]" || { echo "FAIL: coverage differs"; fails=$((fails + 1)); }

# The shipped particles are those of the shipped spec, scenario and data: their fingerprint line
# equals the spec's. If this fails, recalibrate (docs/calibration.md):
#   build/iskabm calibrate calibration/default.toml -o results/default_posterior.h5 \
#       --particles calibration/default_posterior.csv
run "fingerprint of the shipped spec" 0 "$bin" calibrate "$src/calibration/default.toml" --print-fingerprint
[ "# fingerprint: $out" = "$(grep '^# fingerprint:' "$src/calibration/default_posterior.csv")" ] \
  && echo "ok   [shipped particles match the shipped spec, scenario and data]" \
  || { echo "FAIL: calibration/default_posterior.csv is stale (fingerprint $out)"; fails=$((fails + 1)); }

# The particles CSV: written with the posterior, drawn from exactly like the HDF5 file.
run "calibrate with --particles" 0 "$bin" calibrate "$spec" -o "$tmp/f.h5" --particles "$tmp/f.csv" -q --log-level info
cmp -s "$tmp/f.h5" "$tmp/a.h5" && echo "ok   [--particles leaves the posterior file as it was]" || { echo "FAIL: posterior differs"; fails=$((fails + 1)); }
run "run --posterior CSV" 0 "$bin" run "$src/tests/fixtures/small_config.toml" --posterior "$tmp/f.csv" \
  --replicates 8 -o "$tmp/pc.h5" -q --log-level info --no-progress
/usr/bin/python3 - "$tmp/pc.h5" "$tmp/p1.h5" <<'PY' && echo "ok   [CSV and HDF5 posteriors give the same draws and results]" || { echo "FAIL: CSV draws"; fails=$((fails + 1)); }
import sys, numpy as np, xarray as xr
a, b = xr.open_dataset(sys.argv[1]), xr.open_dataset(sys.argv[2])
assert np.array_equal(a.parameter_values.values, b.parameter_values.values)
assert np.array_equal(a.attacks.values, b.attacks.values)
PY
printf 'weight,attack.base_rat\n1,0.01\n' >"$tmp/badp.csv"
run "particles with an unknown parameter" 65 "$bin" run "$src/tests/fixtures/small_config.toml" --posterior "$tmp/badp.csv" \
  --replicates 1 -o "$tmp/z.h5" -q --log-level info
expect badparticles "badp.csv:1:2: attack.base_rat: unknown parameter" "$err"

# A scenario whose [run] posterior is missing: run names the scenario and key; --no-posterior and
# calibrate do not need the file.
sed 's/max_cells = 512/max_cells = 512\nposterior = "no-such.h5"/' "$src/tests/fixtures/small_config.toml" >"$tmp/withpost.toml"
run "missing scenario posterior" 65 "$bin" run "$tmp/withpost.toml" --replicates 1 -o "$tmp/w.h5" -q --log-level info
expect missingpost "withpost.toml: run.posterior: no such file" "$err"
run "--no-posterior" 0 "$bin" run "$tmp/withpost.toml" --replicates 1 -o "$tmp/w.h5" -q --log-level info --no-posterior
/usr/bin/python3 -c "import h5py,sys; h=h5py.File(sys.argv[1]).attrs['history']; h=h.decode() if isinstance(h,bytes) else h; assert h.endswith('--no-posterior'), h" "$tmp/w.h5" \
  && echo "ok   [--no-posterior recorded in history]" || { echo "FAIL: history"; fails=$((fails + 1)); }
sed "s#scenario = \"small_config.toml\"#scenario = \"$tmp/withpost.toml\"#" "$spec" >"$tmp/withpost_spec.toml"
run "calibrate a scenario whose posterior is missing" 0 "$bin" calibrate "$tmp/withpost_spec.toml" -o "$tmp/wp.h5" \
  --max-generations 1 -q --log-level info

# Errors.
printf 'scenario = "%s"\n[[parameter]]\nkey = "attack.base_rat"\nprior = "uniform"\nlower = 0\nupper = 1\n[[statistic]]\nname = "*"\n' \
  "$src/tests/fixtures/small_config.toml" >"$tmp/bad.toml"
run "unknown parameter" 65 "$bin" calibrate "$tmp/bad.toml" -o "$tmp/x.h5"
expect unknown "bad.toml:3" "$err"
expect unknown "did you mean 'attack.base_rate'" "$err"
[ ! -e "$tmp/x.h5" ] && echo "ok   [no output after a bad spec]" || { echo "FAIL: output written"; fails=$((fails + 1)); }
# variant NAME SED: $tmp/NAME.toml, the small spec edited by SED, its scenario path made absolute.
variant() {
  sed -e "$2" -e "s#scenario = \"small_config.toml\"#scenario = \"$src/tests/fixtures/small_config.toml\"#" \
    "$spec" >"$tmp/$1.toml"
}
variant other 's/seed = 7/seed = 8/'
run "resume a different calibration" 64 "$bin" calibrate "$tmp/other.toml" -o "$tmp/a.h5" --resume
expect mismatch "was made by a different calibration" "$err"
# The perturbation kernel shapes the generations too: a resume with the other kernel is refused.
variant local 's/seed = 7/seed = 7\nkernel = "local"/'
run "resume with the other kernel" 64 "$bin" calibrate "$tmp/local.toml" -o "$tmp/a.h5" --resume
expect kernelmismatch "was made by a different calibration" "$err"
variant narrow 's/seed = 7/seed = 7\nkernel_scale = 1.0/'
run "resume with another kernel scale" 64 "$bin" calibrate "$tmp/narrow.toml" -o "$tmp/a.h5" --resume
expect scalemismatch "was made by a different calibration" "$err"
# The default scale written out is the default: the same fingerprint (files made before the key
# existed still resume).
variant explicit 's/seed = 7/seed = 7\nkernel_scale = 2.0/'
run "fingerprint with kernel_scale = 2.0" 0 "$bin" calibrate "$tmp/explicit.toml" --print-fingerprint
explicit=$out
run "fingerprint without kernel_scale" 0 "$bin" calibrate "$spec" --print-fingerprint
[ -n "$out" ] && [ "$explicit" = "$out" ] && echo "ok   [kernel_scale = 2.0 fingerprints as its absence]" \
  || { echo "FAIL: kernel_scale = 2.0 changes the fingerprint ($explicit against $out)"; fails=$((fails + 1)); }
# The mcmc sampler's min_jump shapes its generations: part of the fingerprint.
variant mcmc 's/seed = 7/seed = 7\nsampler = "mcmc"/'
run "fingerprint of the mcmc sampler" 0 "$bin" calibrate "$tmp/mcmc.toml" --print-fingerprint
mcmc=$out
variant mcmcjump 's/seed = 7/seed = 7\nsampler = "mcmc"\nmin_jump = 2/'
run "fingerprint of the mcmc sampler with min_jump" 0 "$bin" calibrate "$tmp/mcmcjump.toml" --print-fingerprint
[ -n "$out" ] && [ -n "$mcmc" ] && [ "$mcmc" != "$out" ] && echo "ok   [min_jump is part of the fingerprint]" \
  || { echo "FAIL: min_jump does not change the fingerprint ($mcmc, $out)"; fails=$((fails + 1)); }
run "posterior is not a posterior" 65 "$bin" run "$src/tests/fixtures/small_config.toml" --posterior "$tmp/p1.h5" \
  --replicates 1 -o "$tmp/y.h5" -q --log-level info
expect notposterior "not a posterior file" "$err"
finish
