#!/usr/bin/env bash
# Trains Earshot's shipped English model on this machine, reproducibly, in three stages:
#   1. corpus recipe 1 (build_corpus.sh --shifted-hours 0 --real-copies 1 --neural-hours 0 --no-real-words;
#      ~6 min), and the reference architecture (80 log-mel × 3 stacked, 3 BiLSTM layers of 256 per direction,
#      CTC over space, a–z, apostrophe) trained from scratch on it for up to 40 epochs (~80 s each on an idle
#      2-core machine), global normalisation, no VTLP;
#   2. corpus recipe 2 (+ 1.5 h of higher-voiced renderings, a second copy of the real clips; ~3 min more), and
#      stage 1's best model fine-tuned on it for 20 epochs at half the learning rate, half of the batches
#      latency-controlled (chunks of 10 steps + 5 of look-ahead) — the model shipped until recipe 3;
#   3. corpus recipe 3 (build_corpus.sh's defaults: + 2 h of neural voices — Kokoro blends and Piper re-synthesised
#      as many speakers with WORLD — reading general English text, and real words of two more speakers;
#      ~30 min more), and stage 2's model fine-tuned on it with vocal-tract-length perturbation (±10 %): one epoch
#      on whole utterances (3a), then 10 more with 30 % of the batches latency-controlled at the stream's default
#      chunking (8 + 8 steps; 3b). Global normalisation is kept: per-utterance mean normalisation, the same
#      epoch 3a from the same start, lost on every held-out set (Models/README.md);
#   4. the word language model from general English text and the training transcripts, order and pruning chosen
#      by perplexity on a reserved text source, α/β on valid.jsonl (Scripts/build_lm.sh), then the evaluation
#      sets.
# Everything lives outside the work tree (${EARSHOT_RUN:-~/.cache/earshot}/stage1 … stage3b), so a run survives
# a fresh checkout: re-running this script resumes each stage from its last checkpoint.
#   Scripts/train_model.sh                  all stages
#   Scripts/train_model.sh --from-release   stage 2's model taken from the repository's history (the model
#                                           shipped before recipe 3, commit eb7ffc4), then stages 3 and 4 only
# Copy the result into Models/ by hand after reading its numbers (model, .arpa, .lm.json).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
corpus=${EARSHOT_CORPUS:-$HOME/.cache/earshot/corpus}
runs=${EARSHOT_RUN:-$HOME/.cache/earshot}
stage2_release=eb7ffc4   # the commit that shipped stage 2's model
NORMALIZATION=global     # per-utterance mean lost to it on every held-out set (Models/README.md)
STAGE3B_EPOCHS=10
swift build -c release --product earshot
earshot="$repo/.build/release/earshot"

train_stage() {  # name, then earshot train options (a resumed run takes them from its checkpoint)
    local dir="$runs/$1"; shift
    mkdir -p "$dir"
    [ -f "$dir/done" ] && return 0
    local options=("$@")
    [ -f "$dir/checkpoints/last.safetensors" ] && options=(--resume)
    (cd "$corpus" && nice -n 10 "$earshot" train train.jsonl --valid valid.jsonl -o "$dir/model.safetensors" \
        --checkpoint-dir "$dir/checkpoints" --json "${options[@]}" | tee -a "$dir/epochs.jsonl")
    touch "$dir/done"
}

if [ "${1:-}" = "--from-release" ] && [ ! -f "$runs/stage2/done" ]; then
    mkdir -p "$runs/stage2"
    git show "$stage2_release:Models/earshot-en.safetensors" > "$runs/stage2/model.safetensors"
    touch "$runs/stage2/done"
fi
if [ ! -f "$runs/stage1/done" ] && [ ! -f "$runs/stage2/done" ]; then
    Scripts/corpus/build_corpus.sh "$corpus" --shifted-hours 0 --real-copies 1 --neural-hours 0 --no-real-words \
        --heldout-new-minutes 0 --heldout-sentences-minutes 0
    train_stage stage1 --epochs 40 --patience 6 --vtlp none
fi
if [ ! -f "$runs/stage2/done" ]; then
    Scripts/corpus/build_corpus.sh "$corpus" --neural-hours 0 --no-real-words \
        --heldout-new-minutes 0 --heldout-sentences-minutes 0
    train_stage stage2 --init "$runs/stage1/model.safetensors" --epochs 20 --patience 6 --learning-rate 5e-4 \
        --chunk-steps 10 --lookahead-steps 5 --chunked-share 0.5 --vtlp none
fi
Scripts/corpus/build_corpus.sh "$corpus"
# 3a: one epoch, whole utterances only (the run that chose the normalisation against global statistics, see
# Models/README.md); 3b: from 3a, half of the batches latency-controlled.
train_stage stage3a --init "$runs/stage2/model.safetensors" --normalization "$NORMALIZATION" --vtlp 0.9,1.1 \
    --epochs 1 --learning-rate 5e-4
train_stage stage3b --init "$runs/stage3a/model.safetensors" --vtlp 0.9,1.1 --epochs "$STAGE3B_EPOCHS" \
    --patience 4 --learning-rate 5e-4 --chunk-steps 8 --lookahead-steps 8 --chunked-share 0.3
Scripts/build_lm.sh "$runs/stage3b/model.safetensors" "$corpus"
python3 Scripts/evaluate_model.py "$runs/stage3b/model.safetensors" --corpus "$corpus" --peers \
    | tee "$runs/stage3b/evaluation.md"
