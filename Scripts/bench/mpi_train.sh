#!/usr/bin/env bash
# Data-parallel training on this machine: step time of the reference model (3 × BiLSTM 256, batch 16) for
#   1 process, 1 thread | 1 process, 2 threads | mpirun -np 2, 1 thread per rank (global batch 16 either way),
# the time the 2 ranks spend in the gradients' MPI_Allreduce per step, and a bare MPI_Allreduce of the fused
# gradient (earshot-bench allreduce) over shared memory and over TCP between two network namespaces.
#   Scripts/bench/mpi_train.sh [EPOCHS] [ROUNDS]   (defaults 2 and 3; needs openmpi-bin; the TCP run needs root)
# The three runs alternate, ROUNDS times; the summary line has each one's median step time, the speed-up and
# scaling efficiency of 2 ranks over 1 process (1 thread), and the load average before and after.
# Data: the three clips of Audio/ (3.3–5.7 s) 32 times each, 96 clips = 6 steps an epoch; validation on one clip,
# so an epoch's time is its steps'. Speed perturbation off (it changes what is cached, not a step's cost).
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${1:-2}
rounds=${2:-3}
swift build -c release --product earshot >&2
swift build -c release --product earshot-bench >&2
earshot=$PWD/.build/release/earshot
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tail -n +2 Audio/transcripts.tsv | awk -F'\t' -v dir="$PWD/Audio" '{ print dir "/" $1 "\t" $2 }' >"$work/base.tsv"
for _ in $(seq 32); do cat "$work/base.tsv"; done >"$work/train.tsv"
head -1 "$work/base.tsv" >"$work/valid.tsv"
common=(train "$work/train.tsv" --valid "$work/valid.tsv" --epochs "$epochs" --batch-size 16 --patience 0
  --speed-factors 1 --json)

# run NAME LAUNCHER... -- ARGS: prints "NAME: median step s, allreduce s/step" from the epochs' JSON and the done line.
run() {
  local name=$1 threads=$2
  shift 2
  "$@" "$earshot" "${common[@]}" -o "$work/$name.safetensors" --threads "$threads" >"$work/$name.out" 2>"$work/$name.err"
  python3 - "$name" "$work/$name.out" "$work/$name.err" <<'PY' | tee -a "$work/results.jsonl"
import json, re, statistics, sys
name, out, err = sys.argv[1:]
epochs = [json.loads(line) for line in open(out) if line.startswith("{")]
step = statistics.median(e["seconds"] for e in epochs) / 6
done = open(err).read()
m = re.search(r"(\d+) steps.*?([\d.]+) s in gradient sums", done, re.S)
sums = float(m.group(2)) / int(m.group(1)) if m else 0.0
print(json.dumps({"run": name, "step_seconds": round(step, 3), "epochs": [round(e["seconds"], 2) for e in epochs],
                  "allreduce_seconds_per_step": round(sums, 4)}))
PY
}
load_before=$(cut -d' ' -f1 /proc/loadavg)
for _ in $(seq "$rounds"); do
  run one-process-1-thread 1
  run one-process-2-threads 2
  run two-ranks-1-thread 1 mpirun --allow-run-as-root --oversubscribe -np 2
done
python3 - "$work/results.jsonl" "$load_before" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
step = {n: statistics.median(r["step_seconds"] for r in runs if r["run"] == n) for n in {r["run"] for r in runs}}
sums = statistics.median(r["allreduce_seconds_per_step"] for r in runs if r["run"] == "two-ranks-1-thread")
one, two = step["one-process-1-thread"], step["two-ranks-1-thread"]
print(json.dumps({"summary": {k: round(v, 3) for k, v in sorted(step.items())},
                  "speedup_2_ranks_over_1_thread": round(one / two, 2), "efficiency": round(one / two / 2, 2),
                  "speedup_2_threads_over_1_thread": round(one / step["one-process-2-threads"], 2),
                  "allreduce_seconds_per_step_2_ranks": round(sums, 3),
                  "load_average_before_after": [float(sys.argv[2]), float(sys.argv[3])]}))
PY
mpirun --allow-run-as-root --oversubscribe -np 2 .build/release/earshot-bench allreduce --repeats 30
if [ "$(id -u)" -eq 0 ]; then
  Scripts/mpi_two_hosts.sh .build/release/earshot-bench allreduce --repeats 30 || true
fi
