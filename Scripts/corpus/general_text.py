"""General English text from Debian packages: sentences for the synthesizers and text for the word LM.

    python3 general_text.py install          # apt-get the packages below (root), fetch gnome-user-docs
    python3 general_text.py stats            # sentences per source and split (JSON)
    python3 general_text.py dump SOURCE      # SPLIT<TAB>normalised text<TAB>sentence as read, one a line

Each source is one Debian package's text, filtered and normalised by `corpus_text.kept_transcript` (3-25 words,
only what the project's normaliser, Scripts/text_normalizer.py, reduces to simple rules):

  wordnet        dict-wn: WordNet 3.0 glosses and the quoted example sentences
  gcide          dict-gcide: the quotations and quoted examples of the GNU Collaborative International
                 Dictionary of English (Webster 1913 and later)
  kjv            bible-kjv-text, read with the `bible` program of bible-kjv: the King James Bible
  fortunes-extra fortunes-bofh-excuses, fortunes-debian-hints: English fortune files the base corpus does not
                 read (it reads corpus_text.BASE_FORTUNE_FILES only)
  gnome-help     gnome-user-docs (apt-get download, unpacked, not installed: it depends on yelp): the GNOME
                 desktop help in English. RESERVED for evaluation (`evaluation_source()`): modern, everyday
                 second-person English, never used for the LM nor for training clips.

`split(source)` puts every other source's sentences in train / valid / heldout by `corpus_text.text_bucket`
of the normalised text (< 0.05 held-out, < 0.10 valid, else train), the rule of the base corpus's fortunes; the
reserved source is all "heldout". A sentence equal to an Asterisk test transcript is never returned, nor one
(of another source) equal to a sentence of the reserved source. Standard library only.
"""

import csv
import gzip
import html
import json
import os
import re
import subprocess
import sys
from functools import lru_cache

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [_HERE, os.path.dirname(_HERE)]  # corpus/ and Scripts/ (text_normalizer)
import corpus_text  # noqa: E402
import text_normalizer  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEST_TSV = os.path.join(REPO, "Tests", "EarshotDecodingTests", "Fixtures", "asterisk_test.tsv")
FORTUNES_DIR = "/usr/share/games/fortunes"
# Where gnome-user-docs is unpacked (it is not installed: it would pull in yelp and GTK).
CACHE = os.environ.get("EARSHOT_TEXT_CACHE") or os.path.expanduser("~/.cache/earshot/text")

# Package: licence (from its /usr/share/doc/PACKAGE/copyright).
_SOURCES = {
    "wordnet": {"packages": ["dict-wn"], "licence": "WordNet 3.0 licence (BSD-like, free)",
                "what": "WordNet glosses and quoted example sentences (/usr/share/dictd/wn.dict.dz)"},
    "gcide": {"packages": ["dict-gcide"], "licence": "GPL-3+ (GCIDE; Webster 1913 public domain)",
              "what": "dictionary quotations and quoted examples (/usr/share/dictd/gcide.dict.dz)"},
    "kjv": {"packages": ["bible-kjv-text", "bible-kjv"], "licence": "public domain (text); GPL-2+ (reader)",
            "what": "King James Bible, every verse, read with `bible -l0` (/usr/lib/bible.data)"},
    "fortunes-extra": {"packages": ["fortunes-bofh-excuses", "fortunes-debian-hints"],
                       "licence": "public domain (BOFH excuses); GPL-2+ (Debian hints)",
                       "what": "fortune files bofh-excuses and debian-hints (top level of the fortune folder)"},
    "gnome-help": {"packages": ["gnome-user-docs"], "licence": "CC-BY-SA-3.0",
                   "what": "GNOME desktop help in English (usr/share/help/C/gnome-help/*.page, <p> text)"},
}
EVALUATION_SOURCE = "gnome-help"
# Packages apt-get installs; gnome-user-docs is only downloaded and unpacked into CACHE.
INSTALL_PACKAGES = ["dict-wn", "dict-gcide", "bible-kjv-text", "bible-kjv", "fortunes-bofh-excuses",
                    "fortunes-debian-hints"]
DOWNLOAD_PACKAGES = ["gnome-user-docs"]
EXTRA_FORTUNE_FILES = ["bofh-excuses", "debian-hints"]
# At most this many sentences per source (chosen by a hash of the text, so the choice never moves).
CAP = 60000


def evaluation_source():
    """The source reserved for evaluation: never in the LM text nor in training clips."""
    return EVALUATION_SOURCE


def package_version(package):
    """The installed (or, for a downloaded package, unpacked) version, or None."""
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
    if r.returncode == 0 and r.stdout.strip() and "ok installed" in subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True).stdout:
        return r.stdout.strip()
    stamp = os.path.join(CACHE, package, "VERSION")
    if os.path.exists(stamp):
        with open(stamp) as f:
            return f.read().strip()
    return None


def sources():
    """{name: {"packages": [...], "versions": {package: version or None}, "licence", "what", "reserved"}}."""
    out = {}
    for name, meta in _SOURCES.items():
        out[name] = dict(meta, versions={p: package_version(p) for p in meta["packages"]},
                         reserved=(name == EVALUATION_SOURCE))
    return out


def install_packages(cache=None):
    """apt-get installs INSTALL_PACKAGES (as root) and downloads + unpacks DOWNLOAD_PACKAGES into the cache."""
    cache = cache or CACHE
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *INSTALL_PACKAGES], check=True,
                   stdout=subprocess.DEVNULL)
    for package in DOWNLOAD_PACKAGES:
        target = os.path.join(cache, package)
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(target):
            if name.endswith(".deb"):
                os.remove(os.path.join(target, name))
        subprocess.run(["apt-get", "download", package], check=True, cwd=target, stdout=subprocess.DEVNULL)
        deb = [n for n in os.listdir(target) if n.endswith(".deb")][0]
        subprocess.run(["dpkg-deb", "-x", deb, "root"], check=True, cwd=target)
        version = subprocess.run(["dpkg-deb", "-f", deb, "Version"], check=True, cwd=target, capture_output=True,
                                 text=True).stdout.strip()
        with open(os.path.join(target, "VERSION"), "w") as f:
            f.write(version + "\n")


# ------------------------------------------------------------------------------------------- raw text
def _wordnet_raw(path="/usr/share/dictd/wn.dict.dz"):
    """Glosses and quoted examples of every sense."""
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    senses, current = [], None
    sense_start = re.compile(r"^\s+(?:(?:n|v|adj|adv)\s+)?\d+:\s+(.*)$|^\s+(?:n|v|adj|adv)\s+(?!\d+:)(.*)$")
    for line in lines:
        if not line.startswith(" "):              # a headword (or the database header)
            if current is not None:
                senses.append(current)
            current = None
            continue
        m = sense_start.match(line)
        if m:
            if current is not None:
                senses.append(current)
            current = m.group(1) if m.group(1) is not None else m.group(2)
        elif current is not None:
            current += " " + line.strip()
    if current is not None:
        senses.append(current)
    out = []
    for sense in senses:
        sense = re.sub(r"\[(?:syn|ant|also):[^\]]*\]", " ", sense)
        sense = sense.replace("{", "").replace("}", "")
        quotes = re.findall(r'"([^"]+)"', sense)
        gloss = sense.split('"')[0].strip().rstrip(";").strip()
        if gloss:
            out.append(gloss)
        out.extend(quotes)
    return out


def _gcide_raw(path="/usr/share/dictd/gcide.dict.dz"):
    """Quoted examples followed by an attribution ("..." --Author) and indented block quotations ending
    with one."""
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        text = f.read()
    out = []
    for m in re.finditer(r'"([^"\n]+(?:\n[^"\n]+){0,4})"\s*--[A-Z]', text):
        out.append(" ".join(m.group(1).split()))
    for block in re.split(r"\n\s*\n", text):
        lines = block.split("\n")
        if not lines or not lines[0].startswith("      ") or re.match(r"^\s+(\d+\.|\(\w\)|Syn:|\{|\[)", lines[0]):
            continue
        body = " ".join(line.strip() for line in lines)
        m = re.match(r"^(.*?)\s*--[A-Z][^-]*$", body)
        if m and '"' not in m.group(1) and "\\" not in m.group(1):
            out.append(m.group(1))
    return out


def _kjv_raw():
    """Every verse (`bible -l0` prints them one a line after the chapter headings); LORD as Lord."""
    r = subprocess.run(["bible", "-l0", "gen1:1-rev22:21"], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                       check=True)
    out = []
    for line in r.stdout.split("\n"):
        m = re.match(r"^\s*\d+\s+(.*)$", line)
        if m:
            out.append(re.sub(r"\bLORD\b", "Lord", re.sub(r"\bGOD\b", "God", m.group(1))))
    return out


def _fortunes_extra_raw():
    out = []
    for name in EXTRA_FORTUNE_FILES:
        path = os.path.join(FORTUNES_DIR, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="latin-1") as f:
            raw = f.read()
        for cookie in re.split(r"\n%\n", raw):
            # "BOFH excuse #12:" and "Debian Hint #3:" headers are not part of the text.
            cookie = re.sub(r"^\s*(BOFH excuse|Debian Hint) #\d+:\s*", "", cookie)
            out.append(" ".join(cookie.split()))
    return out


_GNOME_DROP = re.compile(r"<(code|cmd|sys|file|input|output|var|screen|em)\b[^>]*>.*?</\1>", re.S)


def _gnome_help_raw(cache=None):
    """The text of every <p> of the English GNOME help pages; a paragraph holding code, a command, a file
    name or user input is marked so that its sentence is refused."""
    root = os.path.join(cache or CACHE, "gnome-user-docs", "root", "usr", "share", "help", "C", "gnome-help")
    if not os.path.isdir(root):
        raise FileNotFoundError(f"{root}: run `python3 general_text.py install` first")
    out = []
    for name in sorted(os.listdir(root)):
        if not name.endswith(".page"):
            continue
        with open(os.path.join(root, name), encoding="utf-8") as f:
            page = f.read()
        page = re.sub(r"<info>.*?</info>", " ", page, flags=re.S)
        for p in re.findall(r"<p\b[^>]*>(.*?)</p>", page, flags=re.S):
            p = _GNOME_DROP.sub(lambda m: m.group(0) if m.group(1) == "em" else " \x00 ", p)
            p = html.unescape(re.sub(r"<[^>]+>", "", p))
            out.append(" ".join(p.replace("\u2019", "'").split()))
    return out


_RAW = {"wordnet": _wordnet_raw, "gcide": _gcide_raw, "kjv": _kjv_raw, "fortunes-extra": _fortunes_extra_raw,
        "gnome-help": _gnome_help_raw}


# ------------------------------------------------------------------------------------------- sentences
@lru_cache(maxsize=1)
def test_transcripts(path=TEST_TSV):
    """The normalised transcripts of the Asterisk test split: never returned as a sentence."""
    with open(path, newline="") as f:
        return frozenset(r["normalized_transcript"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def usable(paragraphs):
    """(say, text) of every sentence of `paragraphs` that the synthesizers may read (`kept_transcript`), first
    occurrence of each normalised text, in order; long sentences are also tried clause by clause (split at ;
    and :)."""
    seen, out = set(), []
    for para in paragraphs:
        for sentence in corpus_text.split_sentences(para):
            sentence = sentence.strip(" \"")
            candidates = [sentence]
            if len(sentence.split()) > corpus_text.MAX_WORDS:
                candidates = [c.strip(" \",") for c in re.split(r"[;:]\s+", sentence)]
            for c in candidates:
                if c and c[0].islower():
                    c = c[0].upper() + c[1:]
                text = corpus_text.kept_transcript(c)
                if text is not None and text not in seen:
                    seen.add(text)
                    out.append((c, text))
    return out


@lru_cache(maxsize=None)
def _sentences(source):
    pairs = [p for p in usable(_RAW[source]()) if p[1] not in test_transcripts()]
    if len(pairs) > CAP:
        keep = set(sorted((corpus_text.text_bucket(t, "earshot-general-cap-v1"), t) for _, t in pairs)[:CAP])
        keep = {t for _, t in keep}
        pairs = [p for p in pairs if p[1] in keep]
    return tuple(pairs)


def sentences(source):
    """[(say, text)]: the source's usable sentences (say = as a synthesizer reads it, text = normalised
    transcript), distinct texts, in source order, none equal to an Asterisk test transcript, at most CAP."""
    if source not in _SOURCES:
        raise KeyError(f"unknown source {source!r}; sources: {', '.join(_SOURCES)}")
    return list(_sentences(source))


def bucket_of(text):
    """The base corpus's split rule for a normalised text: "heldout", "valid" or "train"."""
    u = corpus_text.text_bucket(text)
    return "heldout" if u < 0.05 else "valid" if u < 0.10 else "train"


def split(source):
    """{"train": [(say, text)], "valid": [...], "heldout": [...]}. The reserved source is all "heldout"; any
    other source leaves out the texts of the reserved source and splits the rest by `bucket_of`."""
    out = {"train": [], "valid": [], "heldout": []}
    if source == EVALUATION_SOURCE:
        out["heldout"] = sentences(source)
        return out
    reserved = {t for _, t in sentences(EVALUATION_SOURCE)}
    for say, text in sentences(source):
        if text not in reserved:
            out[bucket_of(text)].append((say, text))
    return out


def fortune_split(directory=FORTUNES_DIR):
    """The base corpus's fortune sentences (corpus_text.BASE_FORTUNE_FILES) split as sentence_splits.py does:
    {"train"|"valid"|"heldout": [(say, text)]}, distinct texts, sorted, Asterisk test transcripts left out."""
    by_text = {}
    for _, sentence in corpus_text.fortune_sentences(directory):
        by_text.setdefault(text_normalizer.normalize(sentence), sentence)
    out = {"train": [], "valid": [], "heldout": []}
    for text in sorted(by_text):
        if text not in test_transcripts():
            out[bucket_of(text)].append((by_text[text], text))
    return out


def stats():
    result = {}
    for name in _SOURCES:
        s = split(name)
        result[name] = {k: len(v) for k, v in s.items()}
        result[name]["words"] = sum(len(t.split()) for v in s.values() for _, t in v)
    return result


def main(argv):
    if argv[:1] == ["install"]:
        install_packages()
        print(json.dumps(sources(), indent=2))
    elif argv[:1] == ["missing"]:             # exit 1 when a source's package is neither installed nor unpacked
        absent = [p for meta in sources().values() for p, v in meta["versions"].items() if v is None]
        print(" ".join(absent))
        return 1 if absent else 0
    elif argv[:1] == ["stats"]:
        print(json.dumps({"sources": sources(), "sentences": stats()}, indent=2))
    elif len(argv) == 2 and argv[0] == "dump":
        for part, pairs in split(argv[1]).items():
            for say, text in pairs:
                print(f"{part}\t{text}\t{say}")
    else:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
