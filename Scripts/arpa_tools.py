#!/usr/bin/env python3
"""ARPA back-off language models in plain Python: perplexity and OOV rate on a text, and count-cutoff pruning.

    python3 Scripts/arpa_tools.py ppl LM.arpa TEXT            # one normalised sentence a line
    python3 Scripts/arpa_tools.py prune LM.arpa TRAIN_TEXT -o OUT.arpa [--min-order 3]

`ppl` reports what SRILM's `ngram -ppl` does: each sentence is scored from <s> to </s> with back-off
(p(w|h) = p*(hw) if listed, else bow(h) * p(w|h')); a word not in the vocabulary (or <unk>) is an OOV: it is
left out of the perplexity, counted separately, and stays in the history (so the next word backs off past
it). ppl = 10^(-sum log10 p / (words - OOVs + sentences)).

`prune` removes every n-gram of order >= --min-order whose raw count in TRAIN_TEXT (the text the model was
estimated from, with <s> and </s> added) is 1, and recomputes the back-off weight of each context so that its
distribution still sums to one: bow(h) = (1 - sum of kept p(w|h)) / (1 - sum of p(w|h') over the same w),
lower orders first. Raw counts never grow with length, so a pruned n-gram's extensions are pruned too and
every kept n-gram keeps its prefix and its suffix. Standard library only.
"""

import argparse
import math
import sys
from collections import Counter


class ARPA:
    def __init__(self, path):
        self.order = 0
        self.grams = []            # grams[k][tuple of k+1 words] = [log10 p, log10 bow]
        section = None
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                if line.startswith("\\") and line.endswith("-grams:"):
                    section = int(line[1:line.index("-")])
                    while len(self.grams) < section:
                        self.grams.append({})
                    self.order = max(self.order, section)
                    continue
                if line.startswith("\\") or line.startswith("ngram ") or section is None:
                    continue
                parts = line.split("\t")
                if len(parts) == 1:
                    parts = line.split()
                    words = tuple(parts[1:1 + section])
                    bow = float(parts[1 + section]) if len(parts) > 1 + section else 0.0
                else:
                    words = tuple(parts[1].split())
                    bow = float(parts[2]) if len(parts) > 2 else 0.0
                self.grams[section - 1][words] = [float(parts[0]), bow]
        self.vocab = {w[0] for w in self.grams[0]}

    def logprob(self, word, history):
        """log10 p(word | history), history a tuple (most recent last), backing off."""
        history = history[-(self.order - 1):] if self.order > 1 else ()
        penalty = 0.0
        while True:
            entry = self.grams[len(history)].get(history + (word,))
            if entry is not None:
                return penalty + entry[0]
            if not history:
                return penalty + self.grams[0].get(("<unk>",), [-99.0])[0]
            ctx = self.grams[len(history) - 1].get(history)
            if ctx is not None:
                penalty += ctx[1]
            history = history[1:]

    def perplexity(self, sentences):
        """{"sentences", "words", "oovs", "oov_rate", "logprob", "ppl"} as `ngram -ppl` reports them."""
        total, words, oovs = 0.0, 0, 0
        for sentence in sentences:
            history = ("<s>",)
            for w in sentence.split() + ["</s>"]:
                if w != "</s>":
                    words += 1
                if w not in self.vocab or w == "<unk>":
                    oovs += 1
                else:
                    total += self.logprob(w, history)
                history = (history + (w,))[-(self.order - 1):] if self.order > 1 else ()
        n = len(sentences)
        return {"sentences": n, "words": words, "oovs": oovs, "oov_rate": oovs / max(words, 1), "logprob": total,
                "ppl": 10 ** (-total / max(words - oovs + n, 1))}

    def write(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write("\\data\\\n")
            for k, grams in enumerate(self.grams):
                f.write(f"ngram {k + 1}={len(grams)}\n")
            for k, grams in enumerate(self.grams):
                f.write(f"\n\\{k + 1}-grams:\n")
                top = k + 1 == self.order
                for words, (p, bow) in grams.items():
                    f.write(f"{p:.7g}\t{' '.join(words)}" + ("" if top else f"\t{bow:.7g}") + "\n")
            f.write("\n\\end\\\n")


def ngram_counts(sentences, order, min_order):
    """Raw counts of the n-grams of orders min_order..order of `sentences` padded with <s> and </s>."""
    counts = [Counter() for _ in range(order + 1)]
    for s in sentences:
        words = ["<s>"] + s.split() + ["</s>"]
        for k in range(min_order, order + 1):
            c = counts[k]
            for i in range(len(words) - k + 1):
                c[tuple(words[i:i + k])] += 1
    return counts


def prune(lm, sentences, min_order=3, cutoff=1):
    """Removes n-grams of order >= min_order seen at most `cutoff` times; renormalises back-off weights."""
    counts = ngram_counts(sentences, lm.order, min_order)
    removed = {}
    for k in range(min_order, lm.order + 1):
        grams = lm.grams[k - 1]
        gone = [g for g in grams if counts[k][g] <= cutoff]
        for g in gone:
            del grams[g]
        removed[k] = len(gone)
        # Back-off weights of the contexts (order k-1), against the already-pruned lower model.
        children = {}
        for g in grams:
            children.setdefault(g[:-1], []).append(g)
        for ctx, entry in lm.grams[k - 2].items():
            kept = children.get(ctx, [])
            num = 1.0 - sum(10 ** grams[g][0] for g in kept)
            den = 1.0 - sum(10 ** lm.logprob(g[-1], ctx[1:]) for g in kept)
            if num <= 0 or den <= 0:
                continue                      # nothing left to move; keep the old weight
            entry[1] = math.log10(num / den) if kept else 0.0
    # A context with no children needs no back-off weight (0) — as written by KenLM.
    return removed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ppl")
    p.add_argument("arpa")
    p.add_argument("text")
    q = sub.add_parser("prune")
    q.add_argument("arpa")
    q.add_argument("text")
    q.add_argument("-o", "--output", required=True)
    q.add_argument("--min-order", type=int, default=3)
    args = ap.parse_args()
    lm = ARPA(args.arpa)
    with open(args.text, encoding="utf-8") as f:
        sentences = [" ".join(line.split()) for line in f if line.strip()]
    if args.cmd == "ppl":
        r = lm.perplexity(sentences)
        print(f"{r['sentences']} sentences, {r['words']} words, {r['oovs']} OOVs ({100 * r['oov_rate']:.2f}%)\n"
              f"logprob= {r['logprob']:.2f} ppl= {r['ppl']:.2f}")
    else:
        removed = prune(lm, sentences, args.min_order)
        lm.write(args.output)
        print(f"removed {removed}", file=sys.stderr)


if __name__ == "__main__":
    main()
