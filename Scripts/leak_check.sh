#!/usr/bin/env bash
# Checks that Earshot's memory stays flat over long work in one process, by its resident size (VmRSS of
# /proc/PID/status, sampled every LEAK_SAMPLE_SECONDS, default 5):
#   stream      `earshot stream` fed LEAK_STREAM_SECONDS (default 600) of the Audio/ clips, looped with 1 s of
#               silence after each, at real-time pace through a pipe (Scripts/faults/pace_audio.py: a 16 kHz WAV
#               stream whose header says "length unknown", as arecord writes; LEAK_STREAM_FORMAT=raw for raw PCM);
#   transcribe  one `earshot transcribe` of LEAK_TRANSCRIPTIONS (default 1000) inputs: a folder of links to the
#               Audio/ clips, in turn.
# For each it prints the samples' start (the first after LEAK_WARMUP_SECONDS, default 10: the model loaded and
# the buffers at their working size), end and maximum RSS, and the growth from start to end. A run whose growth
# is more than LEAK_TOLERANCE_MB (default 8) fails. The samples are kept in $LEAK_LOG_DIR (default a temporary
# folder, named at the end).
#   Scripts/leak_check.sh                   both, with the release build (built first)
#   Scripts/leak_check.sh stream            one of them
#   EARSHOT=.build/release/earshot LEAK_STREAM_SECONDS=60 Scripts/leak_check.sh stream
# Exits 0 when every run is flat, 1 when one grew, 2 when a run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then export PATH="$PATH:/opt/swift/usr/bin"; fi

stream_seconds=${LEAK_STREAM_SECONDS:-600}
transcriptions=${LEAK_TRANSCRIPTIONS:-1000}
interval=${LEAK_SAMPLE_SECONDS:-5}
warmup=${LEAK_WARMUP_SECONDS:-10}
tolerance_mb=${LEAK_TOLERANCE_MB:-8}
model=${LEAK_MODEL:-Models/earshot-en.safetensors}
logs=${LEAK_LOG_DIR:-$(mktemp -d)}
mkdir -p "$logs"
runs=${1:-all}
case "$runs" in
    all | stream | transcribe) ;;
    *) echo "usage: Scripts/leak_check.sh [all|stream|transcribe]" >&2; exit 64 ;;
esac

if [ -z "${EARSHOT:-}" ]; then
    swift build -c release --product earshot >&2
    EARSHOT=.build/release/earshot
fi
clips=(Audio/*.wav)

# Samples the VmRSS (kB) of process $1 every $interval s into file $2 as "seconds<TAB>kB" until it ends.
sample_rss() {
    local pid=$1 file=$2 start=$SECONDS rss
    : >"$file"
    while rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) && [ -n "$rss" ]; do
        printf '%d\t%s\n' $((SECONDS - start)) "$rss" >>"$file"
        sleep "$interval"
    done
}

# Prints the summary of samples file $2 for run $1; returns 1 when it grew by more than the tolerance.
summarise() {
    local name=$1 file=$2
    awk -v name="$name" -v warmup="$warmup" -v tolerance="$tolerance_mb" -F'\t' '
        { t[NR] = $1; kb[NR] = $2; if ($2 > max) max = $2 }
        END {
            if (NR == 0) { printf "%s: no samples\n", name; exit 2 }
            first = NR
            for (i = 1; i <= NR; i++) if (t[i] >= warmup) { first = i; break }
            start = kb[first]; end = kb[NR]; growth = (end - start) / 1024
            printf "%s: %d samples over %d s; RSS start %.1f MB (at %d s), end %.1f MB, max %.1f MB, growth %+.1f MB\n",
                name, NR, t[NR], start / 1024, t[first], end / 1024, max / 1024, growth
            exit (growth > tolerance ? 1 : 0)
        }' "$file"
}

status=0

if [ "$runs" = all ] || [ "$runs" = stream ]; then
    echo "leak_check.sh: stream: $stream_seconds s of ${clips[*]} at real-time pace (${LEAK_STREAM_FORMAT:-wav})" >&2
    if [ "${LEAK_STREAM_FORMAT:-wav}" = raw ]; then pacer=(); format=(--format raw --rate 16000); else
        pacer=(--wav); format=(); fi
    python3 Scripts/faults/pace_audio.py "${pacer[@]}" --seconds "$stream_seconds" "${clips[@]}" |
        "$EARSHOT" stream --model "$model" "${format[@]}" --json >"$logs/stream.jsonl" &
    pid=$!
    sample_rss "$pid" "$logs/stream-rss.tsv"
    wait "$pid" || { echo "leak_check.sh: stream failed (exit $?)" >&2; status=2; }
    finals=$(grep -c '"type":"final"' "$logs/stream.jsonl" || true)
    echo "stream: $finals utterances transcribed"
    summarise "stream" "$logs/stream-rss.tsv" || status=$((status > 0 ? status : 1))
fi

if [ "$runs" = all ] || [ "$runs" = transcribe ]; then
    inputs=$(mktemp -d)
    trap 'rm -rf "$inputs"' EXIT
    for ((i = 0; i < transcriptions; i++)); do
        clip=${clips[i % ${#clips[@]}]}
        ln -s "$(pwd)/$clip" "$inputs/$(printf 'clip-%05d' "$i")-$(basename "$clip")"
    done
    echo "leak_check.sh: transcribe: $transcriptions inputs in one process" >&2
    "$EARSHOT" transcribe "$inputs" --model "$model" --quiet >"$logs/transcribe.txt" &
    pid=$!
    sample_rss "$pid" "$logs/transcribe-rss.tsv"
    wait "$pid" || { echo "leak_check.sh: transcribe failed (exit $?)" >&2; status=2; }
    lines=$(wc -l <"$logs/transcribe.txt")
    echo "transcribe: $lines transcripts written"
    [ "$lines" -eq "$transcriptions" ] || { echo "leak_check.sh: expected $transcriptions transcripts" >&2; status=2; }
    summarise "transcribe" "$logs/transcribe-rss.tsv" || status=$((status > 0 ? status : 1))
fi

echo "leak_check.sh: samples in $logs" >&2
exit "$status"
