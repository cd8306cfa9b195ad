#!/usr/bin/env bash
# Lints every Python file under Scripts/ with flake8 (Debian package `flake8`: apt-get install flake8), set up by
# .flake8 at the repository's root: pyflakes (unused imports and variables, undefined names, …) and pycodestyle
# (PEP 8, lines up to 120 characters). Prints each finding; exits 1 when there is any, 0 when there is none.
#   Scripts/lint_python.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v flake8 >/dev/null 2>&1; then
    echo "lint_python.sh: flake8 is not installed (apt-get install flake8)" >&2
    exit 2
fi
flake8 Scripts
echo "lint_python.sh: flake8 $(flake8 --version | head -1 | cut -d' ' -f1): no finding in Scripts/"
