#!/usr/bin/env bash
# End-to-end transcription benchmark (real-time factor, peak memory for 1 vs 60 minutes). Needs espeak-ng
# and sox (apt-get install espeak-ng sox). Arguments are passed to transcribe.py (e.g. --write).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product earshot
swift build -c release --product earshot-bench
python3 Scripts/bench/transcribe.py "$@"
