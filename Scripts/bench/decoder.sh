#!/usr/bin/env bash
# Beam-search benchmark: Earshot's BeamSearchDecoder vs torchaudio's flashlight decoder and pyctcdecode, no LM,
# beam 32 and 100, on realistic posteriors of a 10 s utterance (333 × 29); also 100 hotwords and no blank skip.
#   Scripts/bench/decoder.sh [--repeats N] [--write] [--earshot-bench PATH]
# Builds earshot-bench (release) from the repo root, then runs decoder.py, which re-runs itself inside
# ${EARSHOT_VENV:-$HOME/.cache/earshot/venv} (created and pinned by Scripts/fixtures/requirements.txt if missing;
# pyctcdecode, flashlight-text and kenlm are installed by Scripts/fixtures/make_beam_fixtures.py's
# ensure_decoders). If the build fails (or earshot-bench has no `decode` command yet) the peers are still
# measured and Earshot is reported as missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
if ! swift build -c release --product earshot-bench >&2; then
  echo "decoder.sh: swift build of earshot-bench failed; measuring the peers only" >&2
fi
exec python3 Scripts/bench/decoder.py "$@"
