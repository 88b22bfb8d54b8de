#!/usr/bin/env bash
# The ablation behind docs/model-comparison.md (issue 17): v1, v2 and v2 with each new mechanism
# switched off, each calibrated with calibration/default.toml's spec and simulation budget, each
# checked against the record (200 posterior-predictive replicates), and each calibrated again on
# 2015-01..2018-06 (calibration/holdout_2018h2.toml) to forecast the held-back 2018-H2 beside the
# seasonal-naive, NB and Hawkes baselines.
#
#   tools/ablation/run_ablation.sh [BUILD_DIR] [OUT_DIR] [VARIANT...]
#
# BUILD_DIR defaults to build/, OUT_DIR to results/ablation/; without VARIANT every variant of the table runs
# (v2_seed7 and v2_per_purpose, further calibrations of v2, only when named).
# Each variant's files go to OUT_DIR/VARIANT/ (specs, posteriors, runs, check-fit and score CSVs,
# logs); a variant whose summary.done exists is skipped and an interrupted calibration is resumed
# (calibrate --resume), so an interrupted sweep resumes. A finished
# variant scored before `score` had its conditioned row (model_conditioned) gets its hold-out
# forecast run again with 2,000 replicates and re-scored; nothing is calibrated again.
# Each finished variant's small files (check-fit, scores, final population: no HDF5) are then
# recorded in RECORD_DIR/VARIANT/ (ISKABM_ABLATION_RECORD, default docs/model-comparison/, which is
# committed: a sweep longer than a session keeps its finished rows although results/ does not); a
# variant whose record has the fingerprints of this checkout's specs is skipped, one whose record
# is stale runs again.
# tools/ablation/model_comparison.py OUT_DIR (or RECORD_DIR) then writes the table. About 45 minutes per
# variant on 2 cores with the shipped spec (two calibrations of its budget, 2,200 replicates).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=${2:-$root/results/ablation}
shift $(( $# > 2 ? 2 : $# ))
bin=$build/iskabm
record=${ISKABM_ABLATION_RECORD:-$root/docs/model-comparison}
[ -x "$bin" ] || { echo "run_ablation: no iskabm binary in $build (build it first)" >&2; exit 1; }

# variant -> scenario (relative to the repository root)
declare -A scenario=(
  [v2]=scenarios/baseline_2015_2018.toml
  [v1]=scenarios/ablation/v1_structure.toml
  [no_carrying_capacity]=scenarios/ablation/no_carrying_capacity.toml
  [no_urban_network]=scenarios/ablation/no_urban_network.toml
  [no_self_excitation]=scenarios/ablation/no_self_excitation.toml
  [no_capability]=scenarios/ablation/no_capability.toml
  [no_state_response]=scenarios/ablation/no_state_response.toml
  [no_reporting]=scenarios/ablation/no_reporting.toml
  [provincial_pressure]=scenarios/ablation/provincial_pressure.toml
  [v2_seed7]=scenarios/baseline_2015_2018.toml
  [v2_per_purpose]=scenarios/ablation/v2_per_purpose.toml
)
# v2_seed7 (v2 calibrated with another ABC seed: both specs' [smc] seed) and v2_per_purpose (v2
# under the draws before issue 22) are not part of the default sweep: they are further samples of
# v2's posterior and measure the calibration's own Monte Carlo error (docs/model-comparison.md).
declare -A seed=(
  [v2_seed7]=7
)
order=(v2 v1 no_carrying_capacity no_urban_network no_self_excitation no_capability no_state_response
       no_reporting provincial_pressure)
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=("${order[@]}")

# A copy of a spec whose scenario is the variant's (the spec names it relative to itself), and whose
# seed is SEED if given.
spec_for() {  # spec_for SPEC VARIANT_SCENARIO DEST [SEED]
  local rel
  rel=$(python3 -c 'import os,sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$root/$2" "$(dirname "$3")")
  sed -e "s|^scenario = .*|scenario = \"$rel\"|" ${4:+-e "s|^seed = .*|seed = $4|"} "$root/$1" > "$3"
}

# The step that failed, and where its output is, instead of a bare exit status under set -e.
step=""
trap 'rc=$?; [ $rc -eq 0 ] || [ -z "$step" ] || echo "run_ablation: step \"$step\" failed (exit $rc); see its log in ${dir:-$out}" >&2' EXIT

# A calibration that continues an interrupted one: a posterior file already beside the variant
# (a session ended mid-sweep) is resumed after its last complete generation (its history match
# resumes by itself); one that calibrate refuses to resume (made by other specs, data or version)
# is started afresh.
calibrate_resuming() {  # calibrate_resuming SPEC OUTPUT LOG
  if [ -f "$2" ]; then
    echo "   $(basename "$2") exists: resumed"
    "$bin" calibrate "$1" -o "$2" --max-minutes 0 --resume -q > "$3" 2>&1 && return 0
    grep -q -- '--resume: .* was made by a different calibration' "$3" || return 1
    echo "   $(basename "$2") was made by another calibration: started afresh"
  fi
  "$bin" calibrate "$1" -o "$2" --max-minutes 0 -q > "$3" 2>&1
}

# The held-back forecast: 2,000 replicates (the conditioned row's effective sample is about a
# sixth of them), scored against the record with the baselines.
forecast_and_score() {  # forecast_and_score VARIANT DIR
  step="$1: hold-out forecast run"
  "$bin" run "$root/${scenario[$1]}" --posterior "$2/holdout_posterior.h5" --replicates 2000 \
    -o "$2/holdout_forecast.h5" -q
  step="$1: score"
  "$bin" score --forecast "$2/holdout_forecast.h5" --observed "$root/data/aggregates/isk_wikipedia_country_month.csv" \
    --train-end 2018-06 --csv "$2/score.csv" > "$2/score.txt"
}

for v in "${variants[@]}"; do
  [ -n "${scenario[$v]:-}" ] || { echo "run_ablation: unknown variant '$v' (known: ${!scenario[*]})" >&2; exit 64; }
  dir=$out/$v
  if [ -f "$dir/summary.done" ]; then
    if grep -q '^model_conditioned,' "$dir/score.csv" 2>/dev/null; then echo "== $v: done, skipped"; continue; fi
    echo "== $v: done; hold-out forecast re-run and re-scored (no conditioned row yet) $(date -u +%H:%M:%S)"
    forecast_and_score "$v" "$dir"
    continue
  fi
  mkdir -p "$dir"
  spec_for calibration/default.toml "${scenario[$v]}" "$dir/default.toml" "${seed[$v]:-}"
  spec_for calibration/holdout_2018h2.toml "${scenario[$v]}" "$dir/holdout.toml" "${seed[$v]:-}"
  # A variant already in the record, calibrated from these very specs (the same fingerprints:
  # spec, history match, scenario, data, version), is not calibrated again; after a change to any
  # of them the record is stale and the variant runs.
  if [ -f "$record/$v/calibrations.txt" ]; then
    fp=$("$bin" calibrate "$dir/default.toml" --print-fingerprint)
    hfp=$("$bin" calibrate "$dir/holdout.toml" --print-fingerprint)
    if grep -q "^posterior.h5: .*; fingerprint $fp\$" "$record/$v/calibrations.txt" &&
       grep -q "^holdout_posterior.h5: .*; fingerprint $hfp\$" "$record/$v/calibrations.txt"; then
      echo "== $v: recorded in $record with the same fingerprints, skipped"
      continue
    fi
    echo "== $v: its record in $record is stale (other fingerprints), calibrated again"
  fi
  echo "== $v (${scenario[$v]}) $(date -u +%H:%M:%S)"
  # The same budget for every variant: no wall-clock limit, the spec's generations and simulations.
  step="$v: calibrate"
  calibrate_resuming "$dir/default.toml" "$dir/posterior.h5" "$dir/calibrate.log"
  step="$v: run"
  "$bin" run "$root/${scenario[$v]}" --posterior "$dir/posterior.h5" --replicates 200 -o "$dir/ppc.h5" -q
  step="$v: check-fit"
  "$bin" check-fit "$dir/ppc.h5" --csv "$dir/check_fit.csv" > "$dir/check_fit.txt"
  rm -rf "$dir/ppc_export"
  step="$v: export"
  "$bin" export "$dir/ppc.h5" --csv "$dir/ppc_export" -q
  step="$v: hold-out calibrate"
  calibrate_resuming "$dir/holdout.toml" "$dir/holdout_posterior.h5" "$dir/holdout.log"
  forecast_and_score "$v" "$dir"
  date -u +%FT%TZ > "$dir/summary.done"
  step="$v: record"
  /usr/bin/python3 "$root/tools/ablation/model_comparison.py" "$out" --record "$record" > /dev/null
done
echo "run_ablation: done; the table: python3 tools/ablation/model_comparison.py $out"
