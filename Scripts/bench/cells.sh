#!/usr/bin/env bash
# Which recurrent cell: the same budget of training time for an LSTM, an LSTM with peephole connections and a GRU
# of about the same parameter count (BENCHMARKS.md, "Recurrent cells at the same training budget").
#
#   Scripts/bench/cells.sh [MINUTES] [HIDDEN]      (defaults: 20 CPU minutes each, 128 LSTM units per direction)
#
# 1. Builds earshot (release) and sizes the GRU: the hidden size whose parameter count is nearest the LSTM's
#    (3 layers, 80 log-mel bins × 3 stacked frames in, 29 characters out; peepholes add 3 weights per unit).
# 2. Trains the three from scratch on the corpus (${EARSHOT_CORPUS:-~/.cache/earshot/corpus}: train.jsonl,
#    valid.jsonl) at the same time, each one process with --threads 1, so that they share the machine alike, with
#    the recipe of the shipped model's last stage (VTLP 0.9–1.1, 30 % of the batches latency-controlled at 8 + 8
#    steps), the same seed, and no epoch limit; once a run has used MINUTES of CPU time (its own, user + system:
#    a budget that other work on the machine does not shrink) it gets SIGTERM (not SIGINT: a shell without job
#    control starts background commands with SIGINT ignored), finishes its batch, writes a checkpoint and keeps
#    the best model of its finished epochs by validation CER.
# 3. Evaluates each best model with Scripts/evaluate_model.py (no language model: these models have none) and
#    prints one table: parameters, epochs done, seconds per epoch, best validation CER, and WER/CER per set.
# Runs live in ${EARSHOT_RUN:-~/.cache/earshot}/cells/CELL (train.log, epochs.jsonl, model, evaluation.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
minutes=${1:-20}
hidden=${2:-128}
corpus=${EARSHOT_CORPUS:-$HOME/.cache/earshot/corpus}
runs=${EARSHOT_RUN:-$HOME/.cache/earshot}/cells
export PATH="$PATH:/opt/swift/usr/bin"
swift build -c release --product earshot >/dev/null
earshot="$repo/.build/release/earshot"

gru_hidden=$(python3 -c 'import sys; sys.path.insert(0, "Scripts/bench"); from bench_common import gru_hidden_size
print(gru_hidden_size(int(sys.argv[1]), 240, 3, 29))' "$hidden")
cells=("lstm --hidden-size $hidden" "lstm --peepholes --hidden-size $hidden" "gru --hidden-size $gru_hidden")
names=(lstm lstm-peepholes gru)

# Sends SIGTERM to each run once it has used SECONDS of CPU time, and returns when every run has ended, each run's
# CPU seconds (user + system, as last seen, at most 5 s before its end) in DIR/cpu-seconds. Arguments: SECONDS, then
# PID:DIR for each run.
stop_at_cpu_budget() {
    local seconds=$1 ticks run pid dir used
    shift
    local -A ended=() sent=()
    ticks=$(getconf CLK_TCK)
    while [ ${#ended[@]} -lt $# ]; do
        sleep 5
        for run in "$@"; do
            pid=${run%%:*} dir=${run#*:}
            [ -n "${ended[$pid]:-}" ] && continue
            if [ ! -r "/proc/$pid/stat" ]; then ended[$pid]=1; continue; fi
            # utime and stime: fields 14 and 15 of /proc/PID/stat (after the parenthesised command name).
            read -r -a fields <<<"$(sed 's/^.*) //' "/proc/$pid/stat")" || continue
            used=$(((fields[11] + fields[12]) / ticks))
            echo "$used" >"$dir/cpu-seconds"
            if [ "$used" -ge "$seconds" ] && [ -z "${sent[$pid]:-}" ]; then
                kill -TERM "$pid" 2>/dev/null || true
                sent[$pid]=1
            fi
        done
    done
}

pids=()
for i in "${!cells[@]}"; do
    dir="$runs/${names[$i]}"
    rm -rf "$dir"
    mkdir -p "$dir"
    read -r -a options <<<"--cell ${cells[$i]}"
    (cd "$corpus" && exec nice -n 5 "$earshot" train train.jsonl --valid valid.jsonl -o "$dir/model.safetensors" \
        --checkpoint-dir "$dir/checkpoints" --json --threads 1 --epochs 1000 --patience 0 --seed 1 \
        --vtlp 0.9,1.1 --chunk-steps 8 --lookahead-steps 8 --chunked-share 0.3 "${options[@]}" \
        >"$dir/epochs.jsonl" 2>"$dir/train.log") &
    pids+=("$!:$dir")
done
echo "cells.sh: training ${names[*]} (GRU hidden $gru_hidden), $minutes CPU minutes each, from $(date -u +%H:%M) UTC" >&2
stop_at_cpu_budget "$((minutes * 60))" "${pids[@]}"
wait || true

for name in "${names[@]}"; do
    dir="$runs/$name"
    python3 Scripts/evaluate_model.py "$dir/model.safetensors" --corpus "$corpus" >"$dir/evaluation.md"
done
python3 - "$runs" "${names[@]}" <<'PY'
import json
import pathlib
import re
import sys

runs = pathlib.Path(sys.argv[1])
sets = ["asterisk_test (8 kHz)", "held-out voices (16 kHz)", "new held-out voices (16 kHz)",
        "held-out sentences, training voices (16 kHz)", "real speakers, held out (16 kHz)", "valid (8/16 kHz)"]
print("| cell | parameters | CPU min | epochs | best valid CER % (greedy) | "
      + " | ".join(f"{name}: WER / CER %" for name in sets) + " |")
print("| --- | ---: | ---: | ---: | ---: | " + " | ".join("---" for _ in sets) + " |")
for name in sys.argv[2:]:
    epochs = [json.loads(line) for line in (runs / name / "epochs.jsonl").read_text().splitlines()
              if line.startswith('{"')]
    log = (runs / name / "train.log").read_text()
    parameters = re.search(r"model of ([0-9]+) parameters", log)
    cpu = float((runs / name / "cpu-seconds").read_text()) if (runs / name / "cpu-seconds").exists() else float("nan")
    best = min((e["cer"] for e in epochs), default=float("nan"))
    # evaluate_model.py's table of set, decoding, clips, audio s, WER, CER, RTF: the whole-utterance rows.
    table = (runs / name / "evaluation.md").read_text().split("| set | Earshot decoding |")[-1].split("\n\n")[0]
    found = {}
    for row in table.splitlines():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) >= 6 and "streaming" not in cells[1]:
            found[cells[0]] = f"{cells[4]} / {cells[5]}"
    print(f"| {name} | {parameters.group(1) if parameters else '?'} | {cpu / 60:.1f} | {len(epochs)} | "
          f"{100 * best:.2f} | " + " | ".join(found.get(name, "?") for name in sets) + " |")
PY
