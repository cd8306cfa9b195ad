#!/usr/bin/env bash
# The project's whole check, as CI runs it: formatting (swift format, strict), the Python linter and the
# scripts' own tests (the text normaliser's twin, the corpus recipe), the DocC build of the Earshot module
# (warnings are errors), the speech server built (the package's Server trait) and driven by the real `openai`
# and `websockets` clients (Scripts/serve/test_clients.py, whose venv comes from PyPI on first use), a brief
# fuzzing of every parser, then the Swift tests. Stops at the first step that fails and says which one; exits
# with that step's status.
#
# Everything is built with the traits the default build leaves out — Server (`earshot serve`) and Plot
# (`earshot plot`, Cairo) — so that their tests run too. The docs, the server build and the tests use the
# same traits, so each reuses the one build (a trait is a compilation condition of every module: switching
# it rebuilds them all). The docs build comes before `swift test` so that the tests' own summary closes the
# output.
#
# Needs Swift 6.1+ on PATH (/opt/swift/usr/bin is added when present), the Debian packages of README.md's
# first command, and libcairo2-dev for the Plot trait.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="$PATH:/opt/swift/usr/bin"
fi

step() {
    local name=$1
    shift
    echo "==> $name: $*"
    local start=$SECONDS status=0
    "$@" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "==> check.sh: FAILED at step '$name' (exit $status): $*" >&2
        exit "$status"
    fi
    echo "==> $name: ok ($((SECONDS - start)) s)"
}

TRAITS=(--traits Server,Plot)
if [ ! -f /usr/include/cairo/cairo.h ]; then
    echo "==> check.sh: the checks build the Plot trait, which needs Cairo: apt-get install libcairo2-dev" >&2
    exit 1
fi

step "swift format" swift format lint --strict --recursive --parallel Sources Tests Package.swift

if [ -f Scripts/lint_python.sh ]; then
    step "python lint" bash Scripts/lint_python.sh
else
    echo "==> python lint: skipped (no Scripts/lint_python.sh)"
fi

step "python tests" python3 -m unittest discover -s Scripts -p 'test_*.py'
step "corpus recipe tests" python3 -m unittest discover -s Scripts/corpus -p 'test_*.py'

step "docs" swift package "${TRAITS[@]}" generate-documentation --target Earshot --warnings-as-errors

step "server build" swift build "${TRAITS[@]}"
step "server clients" python3 Scripts/serve/test_clients.py --earshot .build/debug/earshot

# Every fuzz target for EARSHOT_CI_FUZZ_SECONDS (default 12) from the committed seeds (FUZZING.md, "In CI?"):
# about 6.5 minutes with the harness's own build (.build-fuzz, AddressSanitizer, the server's packages included
# for its request parsers). Before the tests, not after, so that their summary still closes the output; a parser
# that now crashes on its seeds or their first mutations fails here with the input saved under
# Scripts/fuzz/Scratch/artifacts/. EARSHOT_CI_FUZZ_SECONDS=0 skips it.
if [ "${EARSHOT_CI_FUZZ_SECONDS:-12}" -gt 0 ]; then
    # A 60 s limit per input, not the 10 s of the long runs: libFuzzer counts wall time, and a busy machine can
    # stall a millisecond input for seconds (FUZZING.md, "Runs"); a real hang still takes for ever.
    step "fuzz" env FUZZ_TIMEOUT="${FUZZ_TIMEOUT:-60}" Scripts/fuzz.sh all "${EARSHOT_CI_FUZZ_SECONDS:-12}"
else
    echo "==> fuzz: skipped (EARSHOT_CI_FUZZ_SECONDS=0)"
fi

# Last, and nothing printed after it on success, so that the tests' summary closes the output.
echo "==> swift test: swift test ${TRAITS[*]}"
swift test "${TRAITS[@]}" || {
    status=$?
    echo "==> check.sh: FAILED at step 'swift test' (exit $status): swift test ${TRAITS[*]}" >&2
    exit "$status"
}
