#!/usr/bin/env bash
# Builds Earshot's training corpus (see README.md beside this file):
#   Scripts/corpus/build_corpus.sh [OUT] [--hours H] [--small] [--seed N] [--jobs N] …
# OUT defaults to ${EARSHOT_CORPUS:-$HOME/.cache/earshot/corpus}. Installs the Debian packages it needs
# (as root, or with sudo), then runs build_corpus.py at the lowest CPU priority. Re-running skips what is
# done. `build_corpus.py --help` lists every option.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

packages=(sox espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts fortunes)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# apt-get download (of the Asterisk prompts) needs package lists.
if ! apt-cache show asterisk-core-sounds-en-wav >/dev/null 2>&1; then $sudo apt-get update -qq; fi

exec nice -n 19 python3 "$here/build_corpus.py" "$@"
