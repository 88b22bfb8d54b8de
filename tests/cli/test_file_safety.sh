#!/usr/bin/env bash
# End-to-end tests of issue 20: a file that was good before a command is good after it, whatever the
# command was given. Every case below was once a command that destroyed a file, followed a hostile
# path, hung, crashed or published a corrupt result; each must now be refused with a clear message
# and its documented exit code, leaving every file as it was.
#   test_file_safety.sh BUILD/iskabm SOURCE_DIR
. "$(dirname "$0")/cli_test_lib.sh"
bin=$1 src=$2
small=$src/tests/fixtures/small_config.toml
py=/usr/bin/python3

# unchanged NAME FILE COPY: FILE still holds the bytes of COPY.
unchanged() {
  if cmp -s "$2" "$3"; then echo "ok   [$1: unchanged]"; else echo "FAIL [$1]: $2 was changed"; fails=$((fails + 1)); fi
}
# absent NAME PATH...: none of the paths exists.
absent() {
  local name=$1; shift
  for p in "$@"; do [ ! -e "$p" ] && [ ! -L "$p" ] || { echo "FAIL [$name]: $p left behind"; fails=$((fails + 1)); }; done
}

run "a small result" 0 "$bin" run "$small" -o "$tmp/a.h5" --replicates 2 -q --no-progress
run "a second result" 0 "$bin" run "$small" -o "$tmp/b.h5" --replicates 2 --seed 7 -q --no-progress
cp "$tmp/a.h5" "$tmp/a.copy"; cp "$tmp/b.h5" "$tmp/b.copy"

# --- 1. outputs checked against inputs (exit 64, both paths named, nothing written)
run "compare --csv names its baseline" 64 "$bin" compare "$tmp/a.h5" "$tmp/b.h5" --csv "$tmp/a.h5"
expect "compare --csv names both" "$tmp/a.h5 is the input $tmp/a.h5" "$err"
unchanged "compare --csv" "$tmp/a.h5" "$tmp/a.copy"
ln "$tmp/b.h5" "$tmp/b.hardlink"
run "compare --csv names a hard link of an input" 64 "$bin" compare "$tmp/a.h5" "$tmp/b.h5" --csv "$tmp/b.hardlink"
unchanged "hard link" "$tmp/b.h5" "$tmp/b.copy"
rm "$tmp/b.hardlink"
run "score --csv names its forecast" 64 "$bin" score --forecast "$tmp/a.h5" \
  --observed "$src/data/aggregates/isk_wikipedia_country_month.csv" --train-end 2015-12 --csv "$tmp/a.h5"
unchanged "score --csv" "$tmp/a.h5" "$tmp/a.copy"
mkdir -p "$tmp/results"; cp "$tmp/a.h5" "$tmp/results/base.h5"
run "export into the directory holding its input" 64 "$bin" export "$tmp/results/base.h5" --csv "$tmp/results"
expect "export names the input" "would replace the directory holding the input $tmp/results/base.h5" "$err"
unchanged "export" "$tmp/results/base.h5" "$tmp/a.copy"
run "export into its input file" 64 "$bin" export "$tmp/a.h5" --csv "$tmp/a.h5"
unchanged "export onto the file" "$tmp/a.h5" "$tmp/a.copy"
run "report into the directory holding its input" 64 "$bin" report "$tmp/results/base.h5" -o "$tmp/results"
unchanged "report" "$tmp/results/base.h5" "$tmp/a.copy"
cp "$src/tests/fixtures/small_config.toml" "$tmp/scen.toml"; cp "$tmp/scen.toml" "$tmp/scen.copy"
run "run -o its scenario" 64 "$bin" run "$tmp/scen.toml" -o "$tmp/scen.toml" --replicates 1 -q
unchanged "run -o scenario" "$tmp/scen.toml" "$tmp/scen.copy"
absent "run -o scenario" "$tmp/scen.toml.journal" "$tmp/scen.toml.tmp" "$tmp/scen.toml.lock"
printf 'weight,attack.base_rate\n1,0.02\n' >"$tmp/post.csv"; cp "$tmp/post.csv" "$tmp/post.copy"
run "run -o its posterior" 64 "$bin" run "$small" --posterior "$tmp/post.csv" -o "$tmp/post.csv" --replicates 1 -q
unchanged "run -o posterior" "$tmp/post.csv" "$tmp/post.copy"
run "merge -o one of its inputs" 64 "$bin" merge "$tmp/a.h5" -o "$tmp/a.h5"
unchanged "merge" "$tmp/a.h5" "$tmp/a.copy"
run "run -o into the data directory" 64 "$bin" --data "$src/data" run "$small" -o "$src/data/x.h5" --replicates 1 -q
absent "data directory" "$src/data/x.h5" "$src/data/x.h5.lock"

# --- non-regular targets: refused, never replaced
run "run -o /dev/null" 64 "$bin" run "$small" -o /dev/null --replicates 1 -q
expect "a device" "exists and is a device" "$err"
[ -c /dev/null ] && echo "ok   [/dev/null is still a device]" || { echo "FAIL: /dev/null replaced"; fails=$((fails + 1)); }
echo "precious" >"$tmp/precious.txt"
ln -s "$tmp/precious.txt" "$tmp/link.h5"
run "run -o a symbolic link" 64 "$bin" run "$small" -o "$tmp/link.h5" --replicates 1 -q
expect "a link" "exists and is a symbolic link" "$err"
[ -L "$tmp/link.h5" ] && [ "$(cat "$tmp/precious.txt")" = precious ] && echo "ok   [link and target untouched]" ||
  { echo "FAIL: link or its target changed"; fails=$((fails + 1)); }
mkdir -p "$tmp/adir"
run "run -o an existing directory fails at once" 64 "$bin" run "$small" -o "$tmp/adir" --replicates 1 -q
expect "a directory" "exists and is a directory" "$err"
absent "no journal for a directory" "$tmp/adir.journal" "$tmp/adir.tmp"
run "compare --csv a directory" 64 "$bin" compare "$tmp/a.h5" "$tmp/b.h5" --csv "$tmp/adir"
echo "not a directory" >"$tmp/plainfile"
run "export into a regular file" 64 "$bin" export "$tmp/a.h5" --csv "$tmp/plainfile"
[ "$(cat "$tmp/plainfile")" = "not a directory" ] && echo "ok   [file kept]" || { echo "FAIL: file replaced"; fails=$((fails + 1)); }
mkdir -p "$tmp/readonly"; chmod 555 "$tmp/readonly"
if [ "$(id -u)" != 0 ]; then  # root writes anywhere
  run "an unwritable directory fails before the run" 64 "$bin" run "$small" -o "$tmp/readonly/x.h5" --replicates 1 -q
  expect "unwritable" "is not writable" "$err"
fi
chmod 755 "$tmp/readonly"

# --- 2. temporary and journal files never follow planted links
echo "keep me" >"$tmp/victim"; cp "$tmp/victim" "$tmp/victim.copy"
ln -s "$tmp/victim" "$tmp/planted.h5.tmp"
ln -s "$tmp/victim" "$tmp/planted.h5.journal"
run "a run with links planted at its .tmp and .journal" 0 "$bin" run "$small" -o "$tmp/planted.h5" --replicates 2 -q \
  --no-progress
unchanged "the links' target" "$tmp/victim" "$tmp/victim.copy"
cmp -s "$tmp/planted.h5" "$tmp/a.h5" && echo "ok   [the run is whole]" || { echo "FAIL: planted run differs"; fails=$((fails + 1)); }
absent "planted leftovers" "$tmp/planted.h5.tmp" "$tmp/planted.h5.journal" "$tmp/planted.h5.lock"
ln -s "$tmp/victim" "$tmp/locked.h5.lock"
run "a lock path that is a link" 74 "$bin" run "$small" -o "$tmp/locked.h5" --replicates 1 -q --no-progress
expect "lock link named" "$tmp/locked.h5.lock: is a symbolic link" "$err"
unchanged "victim after a planted lock" "$tmp/victim" "$tmp/victim.copy"
absent "no run behind a planted lock" "$tmp/locked.h5" "$tmp/locked.h5.tmp" "$tmp/locked.h5.journal"

# A second writer to the same output is refused at once; the first completes intact.
"$bin" run "$small" -o "$tmp/busy.h5" --replicates 400 --threads 1 -q --no-progress 2>"$tmp/first.err" &
first=$!
for _ in $(seq 1200); do [ -e "$tmp/busy.h5.lock" ] && break; kill -0 $first 2>/dev/null || break; sleep 0.05; done
run "a second writer" 75 "$bin" run "$small" -o "$tmp/busy.h5" --replicates 2 -q --no-progress
expect "second writer message" "$tmp/busy.h5 is being written by another process" "$err"
wait $first; rc=$?
[ "$rc" = 0 ] && echo "ok   [the first writer finished]" || { echo "FAIL: first writer exit $rc"; cat "$tmp/first.err"; fails=$((fails + 1)); }
$py - "$tmp/busy.h5" <<'PY' && echo "ok   [the first writer's file is whole]" || { echo "FAIL: busy.h5"; fails=$((fails + 1)); }
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    assert int(f.attrs["replicates_complete"]) == 400 and f["replicate"].shape == (400,)
PY
absent "busy leftovers" "$tmp/busy.h5.tmp" "$tmp/busy.h5.journal" "$tmp/busy.h5.lock"

# --- 3. untrusted inputs
# Arrays inconsistent with the dimensions the file declares: an exit 74 naming the variable.
cp "$tmp/a.h5" "$tmp/crafted.h5"
$py - "$tmp/crafted.h5" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    del f["group_members"]
    f["group_members"] = np.zeros((1, 2), dtype="i8")
    del f["district_country"]
    f["district_country"] = np.full(3, 1, dtype="i1")
PY
run "compare a crafted file" 74 "$bin" compare "$tmp/a.h5" "$tmp/crafted.h5"
expect "crafted variable named" "district_country holds 3 values" "$err"
cp "$tmp/a.h5" "$tmp/crafted2.h5"
$py - "$tmp/crafted2.h5" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    del f["attacks"]
    f["attacks"] = np.zeros((2, 3, 5), dtype="i4")
PY
run "compare a crafted variable" 74 "$bin" compare "$tmp/a.h5" "$tmp/crafted2.h5"
expect "attacks named" "attacks holds" "$err"
run "export a crafted variable" 74 "$bin" export "$tmp/crafted2.h5" --csv "$tmp/crafted_export"
absent "no export" "$tmp/crafted_export"
# merge never follows a path stored in a result file.
cp "$tmp/a.h5" "$tmp/based.h5"
$py - "$tmp/based.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    f.attrs["configuration_toml"] = 'base = "/dev/zero"\n' + f.attrs["configuration_toml"].decode() if isinstance(f.attrs["configuration_toml"], bytes) else 'base = "/dev/zero"\n' + f.attrs["configuration_toml"]
PY
run "merge a file whose scenario names a base" 65 timeout 60 "$bin" merge "$tmp/based.h5" -o "$tmp/merged.h5"
expect "stored path refused" "never reads a path stored in a result file" "$err"
absent "no merge output" "$tmp/merged.h5" "$tmp/merged.h5.tmp"
# Files named by a scenario must be regular files: a FIFO would hang, /dev/zero never end.
mkfifo "$tmp/fifo.toml"
printf 'base = "fifo.toml"\n' >"$tmp/on_fifo.toml"
run "a base scenario that is a FIFO" 65 timeout 60 "$bin" check "$tmp/on_fifo.toml"
expect "FIFO named with its key" "base: $tmp/fifo.toml is not a regular file" "$err"
printf 'base = "/dev/zero"\n' >"$tmp/on_zero.toml"
run "a base scenario that is /dev/zero" 65 timeout 60 "$bin" check "$tmp/on_zero.toml"
run "a scenario that is a FIFO" 74 timeout 60 "$bin" check "$tmp/fifo.toml"
expect "FIFO refused" "is a FIFO, not a regular file" "$err"
run "a posterior that is a FIFO" 74 timeout 60 "$bin" run "$small" --posterior "$tmp/fifo.toml" -o "$tmp/f.h5" -q
# Posterior values are range-checked like [parameters]; weights must have a positive sum.
printf 'weight,attack.base_rate\n1,5\n' >"$tmp/outside.csv"
run "a posterior value outside its range" 65 "$bin" run "$small" --posterior "$tmp/outside.csv" -o "$tmp/o.h5" -q
expect "range named" "attack.base_rate" "$err"
expect "range message" "lies outside the parameter's range" "$err"
printf 'weight,attack.base_rate\n0,0.02\n0,0.03\n' >"$tmp/zero.csv"
run "posterior weights summing to zero" 65 "$bin" run "$small" --posterior "$tmp/zero.csv" -o "$tmp/z.h5" -q
expect "zero weights" "at least one must be positive" "$err"
absent "no output from refused posteriors" "$tmp/o.h5" "$tmp/z.h5" "$tmp/o.h5.journal" "$tmp/z.h5.journal"
# Partial results are refused by every reader.
cp "$tmp/a.h5" "$tmp/part.h5.tmp"
run "check-fit an interrupted run's .tmp" 74 "$bin" check-fit "$tmp/part.h5.tmp"
expect ".tmp named" "an interrupted run's temporary file" "$err"
run "compare an interrupted run's .tmp" 74 "$bin" compare "$tmp/a.h5" "$tmp/part.h5.tmp"
cp "$tmp/a.h5" "$tmp/incomplete.h5"
$py - "$tmp/incomplete.h5" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    f.attrs["replicates_complete"] = np.int64(1)
PY
run "check-fit an incomplete file" 74 "$bin" check-fit "$tmp/incomplete.h5"
expect "incomplete" "incomplete result" "$err"
run "compare an incomplete file" 74 "$bin" compare "$tmp/a.h5" "$tmp/incomplete.h5"

# --- 5. I/O errors name the path and the system's reason (a file-size limit stands in for a
# full disk: writes fail with EFBIG instead of ENOSPC, through the same code).
(trap '' XFSZ; ulimit -f 64; exec "$bin" run "$small" -o "$tmp/big.h5" --replicates 4 -q --no-progress) \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
err=$(cat "$tmp/err")
[ "$rc" = 74 ] && echo "ok   [a failed write exits 74]" || { echo "FAIL: failed write exit $rc"; echo "$err"; fails=$((fails + 1)); }
expect "path named" "$tmp/big.h5" "$err"
expect "reason named" "File too large" "$err"
absent "no file at the final path" "$tmp/big.h5"
(trap '' XFSZ; ulimit -f 1; exec "$bin" compare "$tmp/a.h5" "$tmp/b.h5" --csv "$tmp/big.csv") >/dev/null 2>"$tmp/err"
rc=$?; err=$(cat "$tmp/err")
[ "$rc" = 74 ] && echo "ok   [a failed CSV write exits 74]" || { echo "FAIL: csv write exit $rc"; echo "$err"; fails=$((fails + 1)); }
expect "csv reason" "File too large" "$err"
absent "no csv at the final path" "$tmp/big.csv"
leftovers=$(find "$tmp" -name 'big.csv.tmp*' | wc -l)
[ "$leftovers" = 0 ] && echo "ok   [no csv temporary left]" || { echo "FAIL: csv temporary left"; fails=$((fails + 1)); }

finish
