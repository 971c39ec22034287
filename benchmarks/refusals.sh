#!/usr/bin/env bash
# Whole-process timings (medians, /usr/bin/time) of start-up and of the hardening refusals:
# a 2 GiB gzip bomb restored, a 3 GiB-sheet xlsx imported as a ledger, /dev/zero validated,
# and an update waiting behind another writer. Run from the repository: bash benchmarks/refusals.sh
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
P=${P:-$here/.venv/bin/planner}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$here/.venv/bin/python" "$here/benchmarks/make_bombs.py"
export PLANNER_TODAY=2021-07-01
"$P" --db t.db init >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
run() { # label, runs, command...
  local label=$1 n=$2; shift 2
  for _ in $(seq "$n"); do
    /usr/bin/time -f "%e %M" -o t.out "$@" >/dev/null 2>last.err; cat t.out
  done > runs
  printf '%-55s median %ss  max RSS %s MB\n' "$label" "$(cut -d' ' -f1 runs | median)" \
    "$(cut -d' ' -f2 runs | sort -n | tail -1 | awk '{printf "%.0f", $1/1024}')"
}
run "planner --help" 10 "$P" --help
run "planner show 3.2.2 (bundled plan)" 10 "$P" --db t.db show 3.2.2
run "restore of a 2 GiB gzip bomb (refused)" 3 "$P" --db t.db restore bomb.json.gz --force
run "ledger import of a 3 GiB-sheet xlsx (refused)" 5 "$P" --db t.db ledger import bomb.xlsx --by amr
run "validate /dev/zero (refused)" 5 "$P" validate /dev/zero
"$here/.venv/bin/python" - <<'PY' &
import sqlite3, time
writer = sqlite3.connect("t.db", isolation_level=None)
writer.execute("BEGIN IMMEDIATE")
open("locked", "w").close()
time.sleep(8)
PY
while [ ! -e locked ]; do sleep 0.1; done
PLANNER_BUSY_TIMEOUT=2 run "update while another writer holds the lock (2 s wait)" 1 \
  "$P" --db t.db update 5.1.4 --note x
tail -n 1 last.err
wait
