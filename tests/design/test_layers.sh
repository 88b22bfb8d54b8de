#!/usr/bin/env bash
# The layers of docs/design.md: a directory may include only itself and the layers listed for it.
# Fails on any include of a higher (or unrelated) layer, naming the file and line.
#   test_layers.sh SOURCE_DIR
set -u
src=$1
# layer: the layers it may include ("iskabm" is the generated iskabm/build_info.hpp, available to all)
declare -A allowed=(
  [base]=""
  [model]="base"
  [io]="base model"
  [config]="base model"
  [ensemble]="base model"
  [statistics]="base model io"
  [output]="base model io config statistics"
  [calibration]="base model io config statistics output"
  [session]="base model io config ensemble statistics output calibration"
  [apps]="base model io config ensemble statistics output calibration session"
  [bench]="base model io config ensemble statistics output calibration session"
  [fuzz]="base model io config statistics output calibration"
)
order="base model io config ensemble statistics output calibration session apps bench fuzz"
fails=0
for layer in $order; do
  ok="$layer iskabm ${allowed[$layer]}"
  bad=""
  while IFS= read -r hit; do
    file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$rest")
    case " $ok " in *" $target "*) ;; *) bad+="  $file:$line includes $target/ (${layer} may include: ${allowed[$layer]:-nothing of iskabm})"$'\n' ;; esac
  done < <(grep -rnE '^#include "[a-z_]+/' "$src/$layer" --include='*.cpp' --include='*.hpp' | sed "s#^$src/##")
  n=$(grep -rlE '^#include' "$src/$layer" --include='*.cpp' --include='*.hpp' | wc -l)
  if [ -n "$bad" ]; then
    printf 'FAIL %-12s\n%s' "$layer" "$bad"; fails=$((fails + 1))
  else
    printf 'ok   %-12s %3d files, includes only: %s\n' "$layer" "$n" "${allowed[$layer]:-nothing of iskabm}"
  fi
done
# Every top-level source directory must have a place in the order.
for d in "$src"/*/; do
  d=$(basename "$d")
  if find "$src/$d" -maxdepth 2 -name '*.cpp' 2>/dev/null | grep -q . && [ -z "${allowed[$d]+x}" ] && [ "$d" != tests ] && [ "$d" != build ] && [[ "$d" != build-* ]]; then
    echo "FAIL $d: a source directory with no place in the layer order (tests/design/test_layers.sh)"; fails=$((fails + 1))
  fi
done
[ "$fails" = 0 ] && echo "layers: no lower layer includes a higher one" || exit 1
