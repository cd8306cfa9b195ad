#!/usr/bin/env bash
# Recurrent cells: speed (BENCHMARKS.md): training and inference time of Earshot's three recurrent cells, each
# against its peer in the same alternating rounds (Scripts/bench/lstm.py, the same cases for each):
#   LSTM, 3 × 256 per direction   against PyTorch's nn.LSTM, and against earshot-bench built from BASELINE
#   GRU, parameter-matched (298)  against PyTorch's nn.GRU of the same size
#   LSTM with peepholes, 3 × 256  against Earshot's plain LSTM (PyTorch has no peephole LSTM)
#
#   Scripts/bench/cells_speed.sh [BASELINE] [lstm.py options, e.g. --repeats 5 --rounds 2]
#
# BASELINE: a commit (default ec0151b, the last before the GRU and peephole cells); its earshot-bench is built in a
# detached worktree at .build-baseline/BASELINE (kept for later runs). Runs the 1-thread inference case first (the
# least disturbed by other load), then the 2-thread ones and training; writes the three detail blocks and the
# summary table (Scripts/bench/cells_speed.py) into BENCHMARKS.md. JSON of each run in .build-baseline/*.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
baseline=ec0151b
if [[ $# -gt 0 && $1 != --* ]]; then
    baseline=$1
    shift
fi
export PATH="$PATH:/opt/swift/usr/bin"
swift build -c release --product earshot-bench >&2
work=.build-baseline  # relative, so that BENCHMARKS.md names no path of this machine
mkdir -p "$work"
if [[ ! -x "$work/$baseline/.build/release/earshot-bench" ]]; then
    [[ -d "$work/$baseline" ]] || git worktree add --detach "$work/$baseline" "$baseline" >&2
    (cd "$work/$baseline" && swift build -c release --product earshot-bench >&2)
fi

cases=(--case infer-b1 --case infer-b1-2t --case infer-b16 --case train)
python3 Scripts/bench/cells_speed.py --skeleton
python3 Scripts/bench/lstm.py "${cases[@]}" "$@" --baseline-bench "$work/$baseline/.build/release/earshot-bench" \
    --baseline-name "$baseline" --json "$work/lstm.json" --write
python3 Scripts/bench/lstm.py "${cases[@]}" "$@" --cell gru --json "$work/gru.json" --write
python3 Scripts/bench/lstm.py "${cases[@]}" "$@" --cell lstm-peepholes --json "$work/peepholes.json" --write
python3 Scripts/bench/cells_speed.py "$work/lstm.json" "$work/gru.json" "$work/peepholes.json" --write \
    --command "Scripts/bench/cells_speed.sh $baseline${*:+ $*}"
