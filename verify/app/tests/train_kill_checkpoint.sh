#!/usr/bin/env bash
# `train --checkpoint-every` killed with SIGKILL at several moments leaves OUT/checkpoint.json absent
# (killed before the first) or whole: it parses, its step is a multiple of the checkpoint period and
# never goes back, and the run resumes from it to the end.
# Usage: train_kill_checkpoint.sh TOOL WORKDIR
set -euo pipefail
tool=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
out="$work/run"
checkpoint="$out/checkpoint.json"
flags=(train --steps 1500 --docs 200 --heldout 20 --checkpoint-every 10 --record-every 10 --seed 3 --out "$out")

last=-1
check() {
  [ -e "$checkpoint" ] || { [ "$last" -lt 0 ] && return 0; echo "checkpoint vanished after step $last"; exit 1; }
  step=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['step'])" "$checkpoint") ||
    { echo "checkpoint.json does not parse"; exit 1; }
  [ $((step % 10)) -eq 0 ] || { echo "checkpoint at step $step, not a multiple of 10"; exit 1; }
  [ "$step" -ge "$last" ] || { echo "checkpoint went back from step $last to $step"; exit 1; }
  last=$step
}

# Each run starts afresh (no --resume), so a later kill may find an earlier run's checkpoint only until
# the new run's first write: compare steps within one run only.
for delay in 0.02 0.3 0.6 1.0 1.5 2.5; do
  rm -rf "$out"
  last=-1
  "$tool" "${flags[@]}" > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  check
  # A second kill of a resumed run: the checkpoint is the previous one or a later whole one.
  if [ "$last" -ge 0 ]; then
    "$tool" "${flags[@]}" --resume "$checkpoint" > /dev/null 2>&1 &
    pid=$!
    sleep 0.3
    kill -KILL "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    check
  fi
done
# The last checkpoint is readable by the suite: the run resumes from it and finishes.
[ "$last" -ge 0 ] || { echo "no kill left a checkpoint: the delays are too short for this machine"; exit 1; }
"$tool" "${flags[@]}" --resume "$checkpoint" > "$work/resumed.txt" 2>&1 || { cat "$work/resumed.txt"; exit 1; }
python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['step'] == 1500" "$checkpoint"
echo "train --checkpoint-every survived SIGKILL at every moment tried (last checkpoint before resuming: step $last)"
