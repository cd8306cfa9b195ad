#!/usr/bin/env bash
# Front-end benchmark: Earshot vs kaldi-native-fbank, torchaudio and librosa on 600 s of 16 kHz speech.
#   Scripts/bench/features.sh [--repeats N] [--write] [--seconds S] [--skip TOOL]
# Builds earshot-bench (release) from the repo root, then runs features.py, which re-runs itself inside
# ${EARSHOT_VENV:-$HOME/.cache/earshot/venv} (created and pinned by Scripts/fixtures/requirements.txt if missing).
# If the build fails the peers are still measured and Earshot is reported as missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
if ! swift build -c release --product earshot-bench >&2; then
  echo "features.sh: swift build of earshot-bench failed; measuring the peers only" >&2
fi
exec python3 Scripts/bench/features.py "$@"
