#!/usr/bin/env bash
# CTC loss benchmark: Earshot's CTCLoss (1 and 2 threads) vs torch's ctc_loss (1 thread), forward +
# backward on B=16, T=333, V=29, 150-label targets, identical inputs on both sides.
#   Scripts/bench/ctc.sh [--repeats N] [--write] [--bench-bin PATH]
# Builds earshot-bench (release) from the repo root, then runs ctc.py, which re-runs itself inside
# ${EARSHOT_VENV:-$HOME/.cache/earshot/venv} (created and pinned by Scripts/fixtures/requirements.txt if missing).
# If the build fails (or earshot-bench has no `ctc` command yet) torch is still measured and Earshot is
# reported as missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
if ! swift build -c release --product earshot-bench >&2; then
  echo "ctc.sh: swift build of earshot-bench failed; measuring torch only" >&2
fi
exec python3 Scripts/bench/ctc.py "$@"
