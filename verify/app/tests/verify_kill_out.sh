#!/usr/bin/env bash
# `verify --out DIR` killed with SIGKILL at several moments leaves DIR whole: absent (no earlier report),
# the previous report, or the new one, never a mixture: report.json parses, names one run's claims, and
# every CSV or PNG in DIR belongs to those claims.
# Usage: verify_kill_out.sh TOOL SCENARIO WORKDIR
set -euo pipefail
tool=$1 scenario=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
dir="$work/report"

check() {
  [ -e "$dir" ] || { [ "$1" = first ] && return 0; echo "$dir vanished after a previous report"; exit 1; }
  python3 - "$dir" << 'PY'
import json, os, sys
d = sys.argv[1]
report = json.load(open(os.path.join(d, "report.json")))
claims = sorted({c["id"].split("-")[0] for c in report["claims"]})
assert claims in (["T1"], ["T2"]), f"claims {claims}"
for f in report["files"]:
    assert os.path.exists(os.path.join(d, f)), f"listed file {f} missing"
for f in os.listdir(d):
    if f.endswith((".csv", ".png")) and f != "claims.csv":
        assert f.split("-")[0] in claims, f"stale file {f} of another run (claims {claims})"
PY
}

# A first report killed early leaves nothing; then a whole report of T1, overwritten by runs of T2.
run() { "$tool" verify --scenario "$scenario" --claims "$1" --quiet --out "$dir" > /dev/null 2>&1; }
run T1 &
pid=$!
sleep 0.05
kill -KILL "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
check first
run T1 || true
check previous
for delay in 0.05 0.2 0.4 0.6 0.8 1.0 1.5; do
  run T2 &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  check previous
done
# Let one run finish: DIR is then the T2 report alone.
run T2 || true
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert {c['id'].split('-')[0] for c in r['claims']}=={'T2'}" "$dir/report.json"
check previous
echo "verify --out survived SIGKILL at every moment tried"
