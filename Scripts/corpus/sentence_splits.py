"""What the synthesizers read, per split: the base corpus's fortune sentences (distinct normalised texts, split by
a hash of the text), the Asterisk train transcripts (the telephone-prompt vocabulary), and the general English
text of recipe 3 (general_text.py), its reserved source read only by held-out sets. No split reads a sentence
of another, nor an Asterisk test transcript.
"""

from collections import namedtuple

import corpus_text
import general_text
import text_normalizer
from asterisk import transcripts

FORTUNES_DIR = "/usr/share/games/fortunes"

# fortune_count: usable fortune sentences; distinct: their distinct normalised texts; buckets: {"train" | "valid"
# | "heldout": [(say, text)]}; excluded_test: fortune texts equal to a test transcript; domain_texts: the
# Asterisk train transcripts to synthesize; general: general_sentences().
Sentences = namedtuple("Sentences", "fortune_count distinct buckets excluded_test domain_texts general")


def sentence_splits(fortunes_dir, asterisk):
    """The stage: the fortunes by split, the domain texts, the general text; `asterisk`: the AsteriskSplit."""
    test_texts = transcripts(asterisk.test_rows)
    pairs = corpus_text.fortune_sentences(fortunes_dir)
    by_text = {}
    for _, sentence in pairs:
        by_text.setdefault(text_normalizer.normalize(sentence), sentence)
    excluded_test = sorted(t for t in by_text if t in test_texts)
    buckets = {"train": [], "valid": [], "heldout": []}
    for text in sorted(by_text):
        if text not in test_texts:
            buckets[general_text.bucket_of(text)].append((by_text[text], text))
    domain_texts = sorted(transcripts(asterisk.train) - transcripts(asterisk.valid) - test_texts)
    general = general_sentences(test_texts, {t for b in buckets.values() for _, t in b})
    return Sentences(len(pairs), len(by_text), buckets, excluded_test, domain_texts, general)


def general_sentences(test_texts, fortune_texts):
    """General English text (general_text.py) for recipe 3: {"train", "valid": [(say, text, origin)],
    "evaluation": [(say, text)] (the reserved source, read only by held-out sets), "counts"}. A sentence equal
    to a test transcript or to a fortune sentence of another split is left out, so the splits stay disjoint."""
    reserved = general_text.evaluation_source()
    result = {"train": [], "valid": [], "evaluation": [], "counts": {}}
    taken = set(test_texts) | set(fortune_texts)
    for name in sorted(general_text.sources()):
        if name == reserved:
            continue
        parts = general_text.split(name)
        for split in ("train", "valid"):
            kept = [(say, text, name) for say, text in parts[split] if text not in taken]
            result[split] += kept
        result["counts"][name] = {k: len(v) for k, v in parts.items()}
    seen = {t for split in ("train", "valid") for _, t, _ in result[split]} | taken
    for say, text in general_text.sentences(reserved):
        if text not in seen:
            result["evaluation"].append((say, text))
            seen.add(text)
    result["counts"][reserved] = {"evaluation": len(result["evaluation"])}
    return result
