# Helpers for the end-to-end CLI tests (sourced). Each test runs the real build/iskabm.
set -u
fails=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iskabm-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run NAME EXPECTED_RC CMD...: runs CMD, keeps stdout/stderr in $out/$err, checks the exit code.
run() {
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
  out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
  if [ "$rc" != "$want" ]; then
    echo "FAIL [$name]: exit code $rc, expected $want"; echo "--- stdout"; echo "$out"; echo "--- stderr"; echo "$err"
    fails=$((fails + 1)); return 1
  fi
  echo "ok   [$name] exit $rc"
}
# expect NAME TEXT HAYSTACK: HAYSTACK contains TEXT (fixed string).
expect() {
  if ! grep -qF -- "$2" <<<"$3"; then
    echo "FAIL [$1]: missing: $2"; echo "--- in:"; echo "$3"; fails=$((fails + 1))
  fi
}
# Wait (at most 60 s) until FILE holds a line matching PATTERN, or process PID has ended: a run is
# signalled once it has begun, never after a fixed delay (a loaded machine may still be loading).
wait_for_line() {  # wait_for_line FILE PATTERN PID
  for _ in $(seq 1200); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 0
    sleep 0.05
  done
}
finish() { [ "$fails" = 0 ] && echo "all passed" || { echo "$fails failure(s)"; exit 1; }; }
