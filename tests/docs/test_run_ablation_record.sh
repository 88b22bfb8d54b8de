#!/usr/bin/env bash
# tools/ablation/run_ablation.sh skips a variant whose committed record was calibrated from this
# checkout's specs (the same fingerprints), calibrates one whose record is stale and resumes an
# interrupted calibration (calibrate --resume; afresh when calibrate refuses). The build
# directory given to it holds a stand-in `iskabm` that answers --print-fingerprint with the real
# program and fails every other command, so the test needs no calibration.
#   test_run_ablation_record.sh BUILD/iskabm SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iskabm-ablation-record.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/build" "$tmp/record/v2"
# Every other call is logged; a --resume is refused as calibrate refuses a posterior made by
# another calibration.
cat > "$tmp/build/iskabm" <<SH
#!/usr/bin/env bash
for a in "\$@"; do [ "\$a" = --print-fingerprint ] && exec "$bin" "\$@"; done
echo "\$*" >> "$tmp/calls"
for a in "\$@"; do
  [ "\$a" = --resume ] && { echo "error: --resume: x.h5 was made by a different calibration (spec, scenario, data or iskabm version differ); run without --resume to start afresh" >&2; exit 65; }
done
echo "stand-in iskabm: refused \$*" >&2; exit 3
SH
chmod +x "$tmp/build/iskabm"
# The fingerprints of the variant's spec copies, as run_ablation.sh makes them (the scenario path
# does not enter a fingerprint).
fp=$("$bin" calibrate "$src/calibration/default.toml" --print-fingerprint) || { echo "FAIL: --print-fingerprint"; exit 1; }
hfp=$("$bin" calibrate "$src/calibration/holdout_2018h2.toml" --print-fingerprint) || { echo "FAIL: --print-fingerprint (hold-out)"; exit 1; }
record() {  # record FP HFP
  printf 'posterior.h5: t; finished (x); 3 generations, 1 simulations; seed 1; fingerprint %s\n' "$1" > "$tmp/record/v2/calibrations.txt"
  printf 'holdout_posterior.h5: t; finished (x); 3 generations, 1 simulations; seed 1; fingerprint %s\n' "$2" >> "$tmp/record/v2/calibrations.txt"
}
fails=0
record "$fp" "$hfp"
out=$(ISKABM_ABLATION_RECORD="$tmp/record" bash "$src/tools/ablation/run_ablation.sh" "$tmp/build" "$tmp/out" v2 2>&1)
rc=$?
[ $rc = 0 ] && grep -qF "v2: recorded in $tmp/record with the same fingerprints, skipped" <<<"$out" ||
  { echo "FAIL: a current record was not skipped (exit $rc):"; echo "$out"; fails=$((fails + 1)); }
for stale in "0000000000000000 $hfp" "$fp 0000000000000000"; do
  rm -rf "$tmp/out"
  record $stale
  out=$(ISKABM_ABLATION_RECORD="$tmp/record" bash "$src/tools/ablation/run_ablation.sh" "$tmp/build" "$tmp/out" v2 2>&1)
  rc=$?
  [ $rc != 0 ] && grep -qF "v2: its record in $tmp/record is stale" <<<"$out" && grep -qF 'step "v2: calibrate" failed' <<<"$out" ||
    { echo "FAIL: a stale record ($stale) did not lead to a calibration (exit $rc):"; echo "$out"; fails=$((fails + 1)); }
done
# An interrupted calibration (its posterior file there, no record) is resumed; one that calibrate
# will not resume is started afresh; without a posterior file there is nothing to resume.
rm -f "$tmp/record/v2/calibrations.txt"
rm -rf "$tmp/out"; mkdir -p "$tmp/out/v2"; : > "$tmp/out/v2/posterior.h5"; : > "$tmp/calls"
out=$(ISKABM_ABLATION_RECORD="$tmp/record" bash "$src/tools/ablation/run_ablation.sh" "$tmp/build" "$tmp/out" v2 2>&1)
first=$(sed -n 1p "$tmp/calls") second=$(sed -n 2p "$tmp/calls")
[[ $first == calibrate*"$tmp/out/v2/posterior.h5"*--resume* ]] && [[ -n $second && $second != *--resume* ]] &&
  grep -qF "posterior.h5 was made by another calibration: started afresh" <<<"$out" ||
  { echo "FAIL: an interrupted calibration was not resumed, then restarted afresh:"; cat "$tmp/calls"; echo "$out"; fails=$((fails + 1)); }
rm -rf "$tmp/out"; : > "$tmp/calls"
out=$(ISKABM_ABLATION_RECORD="$tmp/record" bash "$src/tools/ablation/run_ablation.sh" "$tmp/build" "$tmp/out" v2 2>&1)
grep -q -- --resume "$tmp/calls" && { echo "FAIL: --resume without a posterior file:"; cat "$tmp/calls"; fails=$((fails + 1)); }
[ $fails = 0 ] && echo "run_ablation.sh skips current records, recalibrates stale ones and resumes interrupted calibrations"
exit $fails
