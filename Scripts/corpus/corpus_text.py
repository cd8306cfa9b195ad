"""Sentences for the synthesizers to read, and their transcripts.

A transcript is the project's normalisation of the sentence (`text_normalizer.normalize`, the Python twin of
Sources/EarshotDecoding/TextNormalizer.swift). The normaliser spells out numbers, symbols, acronyms, dotted
abbreviations and more, which a synthesizer may read otherwise; so this module keeps only the sentences on
which the normaliser does no more than its simple rules, where what a synthesizer says is what the transcript
writes:

  * a sentence is kept only when it holds letters, spaces, apostrophes and the punctuation
    ``, . ; : ! ? " -`` (no digits, no brackets, no symbols such as # * % & $ / @);
  * no token with two or more capital letters (acronyms, ``PCs``, shouting, Roman numerals, ``McDonald``),
    no single capital letter other than ``I`` and ``A`` (initials, Roman numerals such as ``Henry V``),
    no dot inside a word (``e.g.``, ``asterisk.org``), no abbreviation that a synthesizer would expand
    (``Mr``, ``Dr``, ``St``, ``etc``, ``vs``, ``ok``…), with or without its dot, no word without a vowel
    (``hmm``, ``shh``: a synthesizer may spell it);
  * 3 to 25 words.

On such a sentence the normaliser applies only its rules 1, 6 and 7: lower case; an apostrophe is kept only
between two letters; every other character (punctuation, a hyphen) separates words; spaces collapsed
(test_corpus.py checks that it expands nothing in a kept sentence). Standard library only.
"""

import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import text_normalizer  # noqa: E402

MIN_WORDS = 3
MAX_WORDS = 25

# Characters a kept sentence may contain (besides letters and spaces).
_ALLOWED_PUNCT = set("'\",.;:!?-")
# Words a synthesizer reads as something else (an expansion), with or without a trailing dot.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "mssrs", "messrs", "dr", "st", "jr", "sr", "vs", "etc", "eg", "ie", "prof", "gen",
    "col", "lt", "sgt", "capt", "cpt", "gov", "sen", "rep", "rev", "wm", "inc", "ltd", "corp", "dept",
    "univ", "esp", "approx", "ave", "blvd", "mt", "ft", "oz", "lb", "lbs", "pp", "vol", "ch", "fig",
    "ok", "hr", "hrs", "min", "mins", "sec", "secs", "km", "kg", "mph", "tv", "cf", "nb", "ps", "pps",
    "ca", "co", "no", "op", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
}
# "no", "sun", "sat", "dec", "mar", "co", "min" are common words: they are only refused with a dot
# directly after them inside a sentence (see _bad_token), never as plain words.
_ABBREVIATIONS_ONLY_WITH_DOT = {"no", "sun", "sat", "dec", "mar", "co", "min", "sec", "op", "ca", "fig",
                                "gen", "col", "rep", "rev", "ch", "mon", "wed", "jun", "jan", "may"}

_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")


def _bad_token(tok, is_last):
    """Why a whitespace-separated token disqualifies its sentence, or None."""
    core = tok.strip("\"'.,;:!?-")
    if not core:
        return None
    letters = re.sub(r"[^A-Za-z]", "", core)
    caps = sum(1 for c in letters if c.isupper())
    if caps >= 2:
        return "capitals"
    if len(letters) == 1 and letters.isupper() and letters not in ("I", "A"):
        return "single capital"
    if re.search(r"[A-Za-z]\.[A-Za-z]", core):
        return "dotted"
    word = letters.lower()
    if not any(v in word for v in "aeiouy"):
        return "no vowel"           # hmm, shh, brr, zzz, nth: a synthesizer may spell them out
    if word in ABBREVIATIONS:
        dotted = tok.rstrip("\"'").endswith(".")
        if word not in _ABBREVIATIONS_ONLY_WITH_DOT:
            return "abbreviation"
        if dotted and not is_last:
            return "abbreviation"
    return None


def kept_transcript(sentence):
    """The transcript of `sentence` (`text_normalizer.normalize`) when the synthesizers may read it, else None:
    its characters, then its tokens, then its transcript's 3-25 words (see the module docstring)."""
    for c in sentence:
        if not (c.isascii() and (c.isalpha() or c == " " or c in _ALLOWED_PUNCT)):
            return None
    if re.search(r"\.[A-Za-z]", sentence):     # a dot followed by a letter: "e.g.", "end.Next", "...and"
        return None
    if "'" in sentence and re.search(r"(^|[^A-Za-z])'[A-Za-z]|[A-Za-z]'($|[^A-Za-z])", sentence):
        # a leading or trailing apostrophe ('tis, dogs', 'quoted'): fine for the normaliser, but a
        # synthesizer may or may not say the clipped sound; keep only apostrophes inside words.
        return None
    tokens = sentence.split()
    for i, tok in enumerate(tokens):
        if _bad_token(tok, i == len(tokens) - 1):
            return None
    if not _WORD_RE.search(sentence):
        return None
    transcript = text_normalizer.normalize(sentence)
    return transcript if MIN_WORDS <= len(transcript.split()) <= MAX_WORDS else None


def keep_sentence(sentence):
    """Whether the synthesizers may read `sentence`: the normaliser does no more than its simple rules on it,
    and leaves 3-25 words."""
    return kept_transcript(sentence) is not None


_OVERSTRIKE_RE = re.compile(r".\x08")
_SPLIT_RE = re.compile(r"(?<=[.!?])[\"']?\s+(?=[\"']?[A-Z])")


def _clean_fortune(text):
    """A fortune's text as one line: overstrikes removed, attribution lines ("-- Author") dropped."""
    text = _OVERSTRIKE_RE.sub("", text)
    lines = []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("--") or s.startswith("- "):
            break                       # attribution or signature: what follows is not the quote
        lines.append(s)
    return " ".join(" ".join(lines).split())


def split_sentences(text):
    """Sentences of a paragraph, split after . ! ? followed by a capital letter."""
    return [s.strip() for s in _SPLIT_RE.split(text) if s.strip()]


# Fortune files whose cookies are pictures or not English prose.
SKIPPED_FORTUNE_FILES = {"art", "ascii-art", "translate-me"}

# The base corpus reads these files of the fortune folder, all installed by the Debian packages `fortunes` and
# `fortunes-min` (every plain file of the folder less SKIPPED_FORTUNE_FILES, when only those two packages put
# files there). An explicit list, so that other fortune packages installing into the same folder
# (fortunes-bofh-excuses, fortunes-debian-hints: see general_text.py) never change the base corpus.
BASE_FORTUNE_FILES = (
    "computers", "cookie", "debian", "definitions", "disclaimer", "drugs", "education", "ethnic", "food",
    "fortunes", "goedel", "humorists", "kids", "knghtbrd", "law", "linux", "linuxcookie", "literature", "love",
    "magic", "medicine", "men-women", "miscellaneous", "news", "paradoxum", "people", "perl", "pets",
    "platitudes", "politics", "pratchett", "riddles", "science", "songs-poems", "sports", "startrek", "tao",
    "wisdom", "work", "zippy",
)


def fortune_files(directory, names=BASE_FORTUNE_FILES):
    """The files `names` of `directory` that exist, sorted by name (no .dat index, no .u8 link)."""
    paths = []
    for name in sorted(names):
        path = os.path.join(directory, name)
        if name.endswith((".dat", ".u8")) or name in SKIPPED_FORTUNE_FILES:
            continue
        if os.path.isfile(path) and not os.path.islink(path):
            paths.append(path)
    return paths


def fortune_file_sentences(path):
    """Every usable sentence of one fortune file, in file order."""
    with open(path, encoding="latin-1") as f:
        raw = f.read()
    result = []
    for cookie in re.split(r"\n%\n", raw):
        # Dialogues, lists and poems keep their line breaks; one paragraph at a time.
        text = _clean_fortune(cookie)
        for sentence in split_sentences(text):
            sentence = sentence.strip(" \"")
            if keep_sentence(sentence):
                result.append(sentence)
    return result


def fortune_sentences(directory_or_files):
    """(source, sentence) pairs of every usable sentence of the fortune files, in file order: the base
    corpus's files (BASE_FORTUNE_FILES) of a folder, or an explicit list of file paths."""
    if isinstance(directory_or_files, (str, os.PathLike)):
        paths = fortune_files(directory_or_files)
    else:
        paths = list(directory_or_files)
    return [(os.path.basename(path), s) for path in paths for s in fortune_file_sentences(path)]


def text_bucket(normalized_text, salt="earshot-corpus-split-v1"):
    """A number in [0, 1) fixed by the text alone: the train / valid / held-out split of sentences does
    not depend on the seed, the corpus size or the other sentences, so it never moves."""
    h = hashlib.sha256((salt + "\n" + normalized_text).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2.0 ** 64
