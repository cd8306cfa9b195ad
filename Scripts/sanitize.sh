#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer: `Scripts/sanitize.sh thread` (ThreadSanitizer: the recurrent
# layers' two directions on two threads, parallel transcription with one shared recognizer, streams, training,
# the speech server) or `Scripts/sanitize.sh address` (AddressSanitizer). Builds into .build-tsan / .build-asan
# (gitignored) with the traits Scripts/check.sh tests (Server and Plot, so the server's tests run too), then runs
# `swift test` there; the command-line tests run the `earshot` built with the same sanitizer, whose report would
# change its exit status (TSan: 66) and fail the test. Exits non-zero on any report or failure.
#
#   Scripts/sanitize.sh thread|address [SWIFT TEST OPTIONS...]
#
# Options after the sanitizer go to `swift test`, e.g. `--filter 'GRU|MultipartForm'` for a part of the suite.
#
# Not part of Scripts/check.sh: each needs its own full build (≈ 2 min) and runs the suite ≈ 4× slower;
# results are in RELIABILITY.md.
#
# OpenBLAS, FFTW and libsndfile are not instrumented: races or overflows inside them are not seen, only
# the project's own code and the calls into them.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then export PATH="$PATH:/opt/swift/usr/bin"; fi

case "${1:-}" in
    thread) scratch=.build-tsan ;;
    address) scratch=.build-asan ;;
    *) echo "usage: Scripts/sanitize.sh thread|address [SWIFT TEST OPTIONS...]" >&2; exit 64 ;;
esac
sanitizer=$1
shift
traits=(--traits Server,Plot)

swift build "${traits[@]}" --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# halt_on_error=0: report every race or error in the run, not only the first; the exit status still says so.
TSAN_OPTIONS="halt_on_error=0 ${TSAN_OPTIONS:-}" ASAN_OPTIONS="detect_leaks=0 ${ASAN_OPTIONS:-}" \
    swift test "${traits[@]}" --sanitize="$sanitizer" --scratch-path "$scratch" --skip-build "$@" 2>&1 |
    tee "$log" || status=$?
reports=$(grep -c -E "WARNING: ThreadSanitizer|ERROR: AddressSanitizer" "$log" || true)
echo "sanitize.sh: $sanitizer: $reports report(s), swift test exit $status"
[ "$status" -eq 0 ] && [ "$reports" -eq 0 ]
