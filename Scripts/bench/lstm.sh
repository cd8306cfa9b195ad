#!/usr/bin/env bash
# Acoustic-model benchmark: Earshot's BiLSTM stack vs PyTorch (oneDNN) on the reference model.
#   Scripts/bench/lstm.sh [--repeats N] [--rounds N] [--case train|infer-b1|infer-b1-2t|infer-b16] [--write]
#                         [--cell lstm|gru|lstm-peepholes] [--baseline-bench OTHER-EARSHOT-BENCH]
# Builds earshot-bench (release) from the repo root, then runs lstm.py, which re-runs itself inside
# ${EARSHOT_VENV:-$HOME/.cache/earshot/venv} (created and pinned by Scripts/fixtures/requirements.txt if missing).
# If the build fails PyTorch is still measured and Earshot is reported as missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! swift build -c release --product earshot-bench >&2; then
  echo "lstm.sh: swift build of earshot-bench failed; measuring PyTorch only" >&2
fi
exec python3 Scripts/bench/lstm.py "$@"
