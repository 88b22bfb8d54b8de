#!/usr/bin/env bash
# The README's two commands are the contract with a new user: the set-up block installs from
# tools/debian-packages.txt, and .ci/run runs the README's test command verbatim.
#   test_readme_commands.sh SOURCE_DIR
set -u
cd "$1"
blocks=$(/usr/bin/python3 - <<'PY'
import re
text = open("README.md").read()
blocks = [b.strip() for b in re.findall(r"```[a-z]*\n(.*?)```", text, re.S)]
s = next(i for i, b in enumerate(blocks) if "apt-get" in b)
t = next(i for i, b in enumerate(blocks) if i > s and re.search(r"\btest|ctest", b))
print(blocks[s].replace("\\\n", " ").replace("\n", " "))
print(blocks[t])
PY
) || { echo "FAIL: README has no set-up block with apt-get followed by a test block"; exit 1; }
setup=$(sed -n 1p <<<"$blocks"); testcmd=$(sed -n 2p <<<"$blocks")
fails=0
grep -qF "tools/debian-packages.txt" <<<"$setup" || { echo "FAIL: set-up block does not install tools/debian-packages.txt"; fails=1; }
grep -qF -- "$testcmd" .ci/run || { echo "FAIL: .ci/run does not contain the README test command: $testcmd"; fails=1; }
known=$(apt-cache pkgnames)
for pkg in $(grep -v '^#' tools/debian-packages.txt); do
  grep -qxF "$pkg" <<<"$known" || { echo "FAIL: apt does not know package '$pkg' (tools/debian-packages.txt)"; fails=1; }
done
[ $fails = 0 ] && echo "README commands and .ci/run agree"
exit $fails
