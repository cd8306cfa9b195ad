#!/usr/bin/env bash
# Fuzzes Earshot's parsers with libFuzzer (see FUZZING.md).
#
#   Scripts/fuzz.sh TARGET SECONDS     build, then fuzz TARGET for SECONDS
#   Scripts/fuzz.sh all SECONDS        build, then fuzz every target for SECONDS each
#   Scripts/fuzz.sh build              build only
#
# The harness (Scripts/fuzz/, a package of its own) is built with -sanitize=fuzzer,address into .build-fuzz
# in the debug configuration, which in this project is optimised (-O) and keeps every bounds, overflow and
# precondition check (release builds use -Ounchecked, which would hide them) and allows @testable imports.
# Each target starts from its committed seeds (Scripts/fuzz/Corpus/TARGET) and its dictionary
# (Scripts/fuzz/Dictionaries/TARGET.dict); inputs it finds go to Scripts/fuzz/Scratch/corpus/TARGET, crashes,
# hangs and leaks to Scripts/fuzz/Scratch/artifacts/TARGET/, logs to Scripts/fuzz/Scratch/logs/ (Scratch is
# not committed). Prints one summary line per target; exits 1 if any target found a problem.
#
# Environment: FUZZ_TIMEOUT (seconds one input may take before it counts as a hang, default 10),
# FUZZ_RSS_LIMIT_MB (default 2048), FUZZ_MAX_LEN (largest input in bytes, default per target), FUZZ_RUNS (stop
# after this many executions if SECONDS have not passed yet, e.g. 10000000 for "10 million or an hour").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"

TARGETS=(wav-header audio-stream safetensors model-config arpa manifest lm-sidecar text-normalizer openai-request
    vosk-message)
HARNESS=Scripts/fuzz
SCRATCH="$HARNESS/Scratch"
BINARY=.build-fuzz/debug/earshot-fuzz

usage() {
    echo "usage: Scripts/fuzz.sh {$(IFS='|'; echo "${TARGETS[*]}")|all} SECONDS" >&2
    echo "       Scripts/fuzz.sh build" >&2
    exit 2
}

build() {
    # ld.gold warns once per ASan helper symbol it cannot export; those warnings are noise.
    nice swift build --package-path "$HARNESS" --scratch-path .build-fuzz -c debug \
        -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -v "Cannot export local symbol" || true
    [ -x "$BINARY" ] || { echo "fuzz.sh: the build failed" >&2; exit 1; }
}

# The largest input libFuzzer makes for a target, in bytes: audio and tensors need room for data.
max_len() {
    case "$1" in
        audio-stream | wav-header | safetensors) echo "${FUZZ_MAX_LEN:-16384}" ;;
        *) echo "${FUZZ_MAX_LEN:-4096}" ;;
    esac
}

fuzz() {
    local target=$1 seconds=$2
    local corpus="$SCRATCH/corpus/$target" artifacts="$SCRATCH/artifacts/$target/"
    local log="$SCRATCH/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
    mkdir -p "$corpus" "$artifacts" "$SCRATCH/logs"
    local status=0 start=$SECONDS
    # SWIFT_BACKTRACE: a Swift runtime trap must end the process at once for libFuzzer to catch it; the
    # runtime's own backtracer, left on, trips AddressSanitizer and can hang.
    EARSHOT_FUZZ_TARGET="$target" LSAN_OPTIONS="suppressions=$HARNESS/lsan.supp" SWIFT_BACKTRACE=enable=no \
        nice "$BINARY" "$corpus" "$HARNESS/Corpus/$target" \
        -dict="$HARNESS/Dictionaries/$target.dict" -max_total_time="$seconds" -runs="${FUZZ_RUNS:--1}" -max_len="$(max_len "$target")" \
        -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_LIMIT_MB:-2048}" -artifact_prefix="$artifacts" \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    summarize "$target" "$((SECONDS - start))" "$log" "$status"
    return "$status"
}

# One line: target, seconds it ran, executions, executions per second, coverage (edges, features), corpus size,
# outcome, log.
summarize() {
    local target=$1 seconds=$2 log=$3 status=$4
    local runs rate cov ft corpus outcome
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    outcome="no crash"
    [ "$status" -eq 0 ] || outcome="FOUND: $(problem "$log" "$status")"
    printf '%-16s %6ss %12s execs %8s/s  cov %6s  ft %6s  corpus %5s  %s  (%s)\n' \
        "$target" "$seconds" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corpus:-?}" "$outcome" "$log"
}

# What a failed run found, most specific first: a failed invariant, a Swift trap, a sanitizer's report, then
# libFuzzer's (timeout, out-of-memory, deadly signal).
problem() {
    local log=$1 status=$2 pattern
    for pattern in 'invariant failed: .*' 'Swift runtime failure: [^/]*' 'ERROR: [A-Za-z]*Sanitizer: [a-z -]*' \
        'ERROR: libFuzzer: [a-z -]*'; do
        if grep -q -o -m1 "$pattern" "$log"; then
            grep -o -m1 "$pattern" "$log" | head -1 | cut -c1-160
            return
        fi
    done
    echo "exit $status"
}

[ $# -ge 1 ] || usage
case "$1" in
    build) build; exit 0 ;;
    all) [ $# -eq 2 ] || usage; selected=("${TARGETS[@]}") ;;
    *)
        [ $# -eq 2 ] || usage
        [[ " ${TARGETS[*]} " == *" $1 "* ]] || usage
        selected=("$1")
        ;;
esac
seconds=$2
[[ "$seconds" =~ ^[0-9]+$ ]] || usage
build
failed=0
for target in "${selected[@]}"; do fuzz "$target" "$seconds" || failed=1; done
exit "$failed"
