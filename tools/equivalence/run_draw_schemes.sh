#!/usr/bin/env bash
# The draw schemes' equivalence study (issue 22, item 6; docs/calibration.md, Speed): each shipped
# scenario named below run with N replicates under the cell-day draws (the default) and under the
# per-purpose draws of every earlier result, then compared statistic by statistic.
#   tools/equivalence/run_draw_schemes.sh [N=2000] [OUT=results/equivalence] [SCENARIO...]
# (default scenarios: the baseline and the 2021 withdrawal, each with the shipped posterior)
set -euo pipefail
n=${1:-2000}
out=${2:-results/equivalence}
shift $(( $# > 2 ? 2 : $# ))
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(scenarios/baseline_2015_2018.toml scenarios/withdrawal_2021.toml)
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
for s in "${scenarios[@]}"; do
  name=$(basename "$s" .toml)
  printf 'base = "%s"\n[run]\ndraws = "per_purpose"\n' "$(realpath "$s")" >"$out/${name}_per_purpose.toml"
  build/iskabm run "$s" --replicates "$n" -o "$out/${name}_cell_day.h5" -q
  build/iskabm run "$out/${name}_per_purpose.toml" --replicates "$n" -o "$out/${name}_per_purpose.h5" -q
  echo "== $name"
  /usr/bin/python3 "$here/compare_draw_schemes.py" "$out/${name}_cell_day.h5" "$out/${name}_per_purpose.h5" --table \
    >"$out/${name}.md" || status=1
  tail -5 "$out/${name}.md"
done
exit ${status:-0}
