#!/usr/bin/env bash
# Builds the word language model shipped beside an acoustic model and tunes its weights on the validation set:
#   Scripts/build_lm.sh MODEL.safetensors [CORPUS]
# writes MODEL_STEM.arpa and MODEL_STEM.lm.json beside MODEL (for the shipped model: Models/earshot-en.arpa and
# Models/earshot-en.lm.json), from CORPUS/train.jsonl (default ${EARSHOT_CORPUS:-~/.cache/earshot/corpus}),
# tuned on CORPUS/valid.jsonl only. The LM text adds the train split of the general-English sources of
# Scripts/corpus/general_text.py (installed first when missing: apt-get, as root); the order and pruning are chosen
# by perplexity on the reserved source (gnome-help). Every step is in Scripts/build_lm.py (options: --orders,
# --no-prune, --no-general, --alphas, --betas, --max-mb, --work; run it with --help). The LMs take a few minutes;
# then 30 runs of `earshot eval` on valid (225 clips), ~5 s each on 2 cores.
# Uses the release build of earshot: $EARSHOT_BIN when set, else `swift build -c release` and .build/release/earshot.
set -euo pipefail
if [ $# -lt 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 64
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${EARSHOT_BIN:-}" ]; then
    (cd "$repo" && swift build -c release --product earshot)
    export EARSHOT_BIN="$repo/.build/release/earshot"
fi
python3 "$repo/Scripts/corpus/general_text.py" missing >/dev/null \
    || python3 "$repo/Scripts/corpus/general_text.py" install >/dev/null
exec python3 "$repo/Scripts/build_lm.py" "$@"
