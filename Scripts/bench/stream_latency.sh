#!/usr/bin/env bash
# Streaming benchmark (word latency at real-time pace, accuracy cost, throughput). Needs sox and the corpus's
# asterisk_test.jsonl (Scripts/corpus/build_corpus.sh). Arguments go to stream_latency.py (--model is required).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product earshot
python3 Scripts/bench/stream_latency.py "$@"
