#!/usr/bin/env bash
# tools/ablation/run_ablation.sh skips a variant whose committed record was calibrated from this
# checkout's specs (the same fingerprints) and calibrates one whose record is stale. The build
# directory given to it holds a stand-in `iskabm` that answers --print-fingerprint with the real
# program and fails every other command, so the test needs no calibration.
#   test_run_ablation_record.sh BUILD/iskabm SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iskabm-ablation-record.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/build" "$tmp/record/v2"
cat > "$tmp/build/iskabm" <<SH
#!/usr/bin/env bash
for a in "\$@"; do [ "\$a" = --print-fingerprint ] && exec "$bin" "\$@"; done
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
[ $fails = 0 ] && echo "run_ablation.sh skips current records and recalibrates stale ones"
exit $fails
