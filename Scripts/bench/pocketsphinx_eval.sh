#!/usr/bin/env bash
# Accuracy peer: pocketsphinx 5.x (default en-us model from its wheel) on NeMo manifests, scored with jiwer.
#   Scripts/bench/pocketsphinx_eval.sh [MANIFEST...] [--json OUT] [--limit N] [--verbose]
# With no manifest: asterisk_test.jsonl and heldout_synthetic.jsonl of ${EARSHOT_CORPUS:-~/.cache/earshot/corpus}
# (the Python script applies that default: Scripts/bench/peer_eval.py).
# Needs sox (apt-get install sox). pocketsphinx_eval.py re-runs itself inside
# ${EARSHOT_PEERS_VENV:-$HOME/.cache/earshot/peers-venv}, pinned by Scripts/bench/peers_requirements.txt.
# Runs on one core (taskset -c 0), like Earshot's one-core real-time factor.
set -euo pipefail
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
exec taskset -c 0 python3 "$(dirname "$0")/pocketsphinx_eval.py" "$@"
