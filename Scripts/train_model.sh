#!/usr/bin/env bash
# Trains Earshot's shipped English model on this machine, reproducibly, in two stages:
#   1. corpus recipe without the higher-voiced renderings and with one augmented copy of the real clips
#      (build_corpus.sh --shifted-hours 0 --real-copies 1; ~6 min), and the reference architecture (80 log-mel
#      × 3 stacked, 3 BiLSTM layers of 256 per direction, CTC over space, a–z, apostrophe) trained from scratch
#      on it with earshot train's defaults for up to 40 epochs (~80 s each on an idle 2-core machine);
#   2. the full corpus (build_corpus.sh with its defaults: the same clips plus 1.5 h of higher-voiced renderings
#      and a second copy of the real clips; ~3 min more), and stage 1's best model fine-tuned on it for 20 epochs
#      at half the learning rate, half of the batches latency-controlled as `earshot stream` runs the model
#      (chunks of 10 steps with 5 of look-ahead), so one model serves files and streams;
#   3. the word language model and its weights (Scripts/build_lm.sh, tuned on valid.jsonl only), then the
#      evaluation on the real-speech test split and the held-out synthetic voices.
# Everything lives outside the work tree (${EARSHOT_RUN:-~/.cache/earshot}/stage1 and stage2), so a run survives a
# fresh checkout: re-running this script resumes each stage from its last checkpoint. Copy the result into
# Models/ by hand after reading its numbers (model, .arpa, .lm.json).
#   Scripts/train_model.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
corpus=${EARSHOT_CORPUS:-$HOME/.cache/earshot/corpus}
runs=${EARSHOT_RUN:-$HOME/.cache/earshot}
swift build -c release --product earshot
earshot="$repo/.build/release/earshot"

train_stage() {  # name, then earshot train options (a resumed run takes them from its checkpoint)
    local dir="$runs/$1"; shift
    mkdir -p "$dir"
    [ -f "$dir/done" ] && return 0
    local options=("$@")
    [ -f "$dir/checkpoints/last.safetensors" ] && options=(--resume)
    (cd "$corpus" && "$earshot" train train.jsonl --valid valid.jsonl -o "$dir/model.safetensors" \
        --checkpoint-dir "$dir/checkpoints" --json "${options[@]}" | tee -a "$dir/epochs.jsonl")
    touch "$dir/done"
}

if [ ! -f "$runs/stage1/done" ]; then
    Scripts/corpus/build_corpus.sh "$corpus" --shifted-hours 0 --real-copies 1
    train_stage stage1 --epochs 40 --patience 6
fi
Scripts/corpus/build_corpus.sh "$corpus"
train_stage stage2 --init "$runs/stage1/model.safetensors" --epochs 20 --patience 6 --learning-rate 5e-4 \
    --chunk-steps 10 --lookahead-steps 5 --chunked-share 0.5
Scripts/build_lm.sh "$runs/stage2/model.safetensors" "$corpus"
for set in asterisk_test heldout_synthetic; do
    echo "== $set"
    (cd "$corpus" && "$earshot" eval "$set.jsonl" --model "$runs/stage2/model.safetensors" | tee "$runs/stage2/eval_$set.txt")
done
