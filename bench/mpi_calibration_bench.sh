#!/usr/bin/env bash
# MPI calibration benchmark (builds with ISKABM_MPI): simulations per second of a fixed ABC-SMC
# workload (calibration/default.toml with population 100 and 3 generations, like
# iskabm_calibration_bench) with 1 worker rank (`mpirun -np 2`) and 2 worker ranks (`-np 3`), one
# thread each, the speed-up, and rank 0's CPU time per simulation (handing out chunks and
# collecting results; proposals, acceptance and checkpoints), as `calibrate --log-level debug`
# prints it. Prints a table.
#   bench/mpi_calibration_bench.sh [BUILD_DIR] [extra mpirun options...]
# e.g. bench/mpi_calibration_bench.sh build
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}; shift || true
bin=$build/iskabm
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iskabm-mpibench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
sed -e 's/^population = .*/population = 100/' -e 's/^max_generations = .*/max_generations = 3/' \
    -e "s#^scenario = \"\\(.*\\)\"#scenario = \"$src/calibration/\\1\"#" "$src/calibration/default.toml" >"$tmp/bench.toml"

declare -A rate
printf '%-8s %-8s %12s %9s %14s %12s %20s %18s\n' ranks workers simulations seconds simulations/s speed-up \
  "rank 0 CPU us/sim" "of it: messaging"
for np in 2 3; do
  mpirun --oversubscribe --bind-to none -np "$np" "$@" "$bin" calibrate "$tmp/bench.toml" -o "$tmp/p$np.h5" \
    --threads 1 -q --log-level debug 2>"$tmp/err$np" >/dev/null
  line=$(grep "debug MPI:" "$tmp/err$np")
  sims=$(sed -E 's/.*MPI: ([0-9]+) simulations.*/\1/' <<<"$line")
  secs=$(sed -E 's/.* chunks, ([0-9.]+) s .*/\1/' <<<"$line")
  per=$(sed -E 's/.*rank 0 CPU per simulation: ([0-9.]+) us.*/\1/' <<<"$line")
  msg=$(sed -E 's/.*us \(([0-9.]+) us handing out.*/\1/' <<<"$line")
  rate[$np]=$(awk -v n="$sims" -v s="$secs" 'BEGIN { printf "%.1f", n / s }')
  speed=$(awk -v a="${rate[$np]}" -v b="${rate[2]}" 'BEGIN { printf "%.2fx", a / b }')
  printf '%-8s %-8s %12s %9s %14s %12s %20s %18s\n' "$np" $((np - 1)) "$sims" "$secs" "${rate[$np]}" "$speed" "$per" "$msg"
done
cmp -s "$tmp/p2.h5" "$tmp/p3.h5" && echo "(both posterior files are byte-identical)" || echo "WARNING: the posterior files differ"
