#!/usr/bin/env bash
# docs/tutorial.md is a promise: a new user who types its commands gets its tables and figures.
# This runs every `build/iskabm ...` line of its ```sh blocks (blocks containing "# optional" are
# skipped: the 18-minute calibration) in a scratch workspace laid out like the repository, then
# checks that every line of its ```text blocks appears in what the commands printed, and that
# every figure the tutorial shows was produced by its report command.
#   test_tutorial.sh BUILD/iskabm SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iskabm-tutorial.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/build"
ln -s "$bin" "$tmp/build/iskabm"
for d in scenarios calibration data parameters; do ln -s "$src/$d" "$tmp/$d"; done

/usr/bin/python3 - "$src/docs/tutorial.md" "$tmp" <<'PY' || exit 1
import re, sys, pathlib
text = pathlib.Path(sys.argv[1]).read_text()
tmp = pathlib.Path(sys.argv[2])
blocks = re.findall(r"```(\w*)\n(.*?)```", text, re.S)
commands = []
for lang, body in blocks:
    if lang == "sh" and "# optional" not in body:
        body = body.replace("\\\n", " ")
        commands += [l.strip() for l in body.splitlines() if l.strip().startswith("build/iskabm")]
expected = [l.rstrip() for lang, body in blocks if lang == "text" for l in body.splitlines()
            if l.strip() and not l.strip().startswith("...")]
figures = re.findall(r"!\[[^\]]*\]\(tutorial/([^)]+\.png)\)", text)
if not commands or not expected or not figures:
    print("FAIL: the tutorial has no commands, outputs or figures"); sys.exit(1)
(tmp / "commands.sh").write_text("set -e\n" + "\n".join(commands) + "\n")
(tmp / "expected.txt").write_text("\n".join(expected) + "\n")
(tmp / "figures.txt").write_text("\n".join(figures) + "\n")
PY

cd "$tmp" || exit 1
echo "== running the tutorial's $(wc -l <commands.sh) commands"
if ! bash commands.sh >stdout.txt 2>stderr.txt; then
  echo "FAIL: a tutorial command failed"; cat stdout.txt stderr.txt; exit 1
fi
fails=0
while IFS= read -r line; do
  grep -qF -- "$line" stdout.txt || { echo "FAIL: the tutorial shows a line the commands did not print: $line"; fails=$((fails + 1)); }
done <expected.txt
report=$(grep -o 'report [^ ]* .*-o [^ ]*' commands.sh | sed 's/.*-o //' | tail -1)
while IFS= read -r fig; do
  [ -s "$report/$fig" ] || { echo "FAIL: the tutorial shows tutorial/$fig but the report did not write $report/$fig"; fails=$((fails + 1)); }
  [ -s "$src/docs/tutorial/$fig" ] || { echo "FAIL: docs/tutorial/$fig is missing"; fails=$((fails + 1)); }
done <figures.txt
[ $fails = 0 ] && echo "the tutorial's $(wc -l <expected.txt) output lines and $(wc -l <figures.txt) figures reproduce"
exit $fails
