#!/usr/bin/env bash
# Trains Earshot's shipped English model from scratch on this machine, reproducibly:
#   1. builds the corpus (Scripts/corpus/build_corpus.sh; ~6 min, ~0.6 GB in ${EARSHOT_CORPUS:-~/.cache/earshot/corpus});
#   2. trains the reference architecture (80 log-mel × 3 stacked, 3 BiLSTM layers of 256 per direction, CTC over
#      space, a–z, apostrophe) with earshot train's defaults, validating on the corpus's valid split;
#   3. evaluates the best model on the real-speech test split and the held-out synthetic voices.
# Everything lives outside the work tree (${EARSHOT_RUN:-~/.cache/earshot/run1}), so a run survives a fresh checkout:
# re-running this script resumes from the last checkpoint. Copy the result into Models/ by hand after reading
# its numbers.
#   Scripts/train_model.sh [--epochs N]        (default 40; early stopping after 6 epochs without improvement)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
corpus=${EARSHOT_CORPUS:-$HOME/.cache/earshot/corpus}
run=${EARSHOT_RUN:-$HOME/.cache/earshot/run1}
epochs=40
if [ "${1:-}" = "--epochs" ]; then epochs=$2; fi

[ -f "$corpus/train.jsonl" ] || Scripts/corpus/build_corpus.sh "$corpus"
swift build -c release --product earshot
earshot="$repo/.build/release/earshot"
mkdir -p "$run"
resume=()
[ -f "$run/checkpoints/last.safetensors" ] && resume=(--resume)
cd "$corpus"
"$earshot" train train.jsonl --valid valid.jsonl -o "$run/model.safetensors" --checkpoint-dir "$run/checkpoints" \
    --epochs "$epochs" --patience 6 --json "${resume[@]}" | tee -a "$run/epochs.jsonl"
for set in asterisk_test heldout_synthetic; do
    echo "== $set"
    "$earshot" eval "$set.jsonl" --model "$run/model.safetensors" | tee "$run/eval_$set.txt"
done
