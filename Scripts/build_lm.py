#!/usr/bin/env python3
"""Builds the word language model shipped beside an Earshot acoustic model, and tunes its weights.

    Scripts/build_lm.sh MODEL.safetensors [CORPUS]       (builds the release earshot, then runs this)
    python3 Scripts/build_lm.py MODEL.safetensors [CORPUS] [--earshot BIN] [--work DIR] [--orders 3 4] …

CORPUS is the folder of Scripts/corpus/build_corpus.sh (default ${EARSHOT_CORPUS:-~/.cache/earshot/corpus}).

1. LM text, one distinct normalised sentence a line, sorted: the transcripts of CORPUS/train.jsonl (fortune
   sentences and Asterisk training prompts, as the corpus normalised them), the train split of the base corpus's
   fortune sentences, and the train split of every general-English source of Scripts/corpus/general_text.py
   except the one reserved for evaluation (WordNet, GCIDE, King James Bible, extra fortune files; --no-general
   for the transcripts alone). Nothing from valid.jsonl, heldout_synthetic.jsonl, asterisk_test.jsonl, the
   Asterisk test TSV, the valid/held-out splits of the fortunes and general sources, or the reserved source may
   be in it: a training sentence equal to one of theirs is left out and counted (the first few listed), and the
   finished text is checked again; the script stops if any evaluation sentence is in it.
2. `earshot lm build` (interpolated modified Kneser-Ney) at each --orders, each also pruned (--prune: n-grams of
   order >= 3 seen once removed, back-off weights renormalised; Scripts/arpa_tools.py). Each is scored on the
   reserved source's text (held-out text from a source the LM never saw): perplexity and OOV rate as SRILM's
   `ngram -ppl` reports them (lm_eval.tsv). The lowest perplexity among the files of at most --max-mb is used
   (the ARPA file is committed beside the model).
3. alpha and beta by WER on valid.jsonl ONLY (`earshot eval valid.jsonl --json --lm … --alpha … --beta …`), over
   --alphas × --betas for the chosen LM; ties go to the lower CER. The test sets are never decoded here.
4. Writes MODEL_STEM.arpa and MODEL_STEM.lm.json (`{"arpa", "alpha", "beta", "note"}`, read by
   `DecoderDefaults` in the Earshot module) beside MODEL, then checks that `earshot eval valid.jsonl` without
   --lm picks them up and gives the tuned WER.

The work folder (--work, default a new temporary folder) keeps the LM text, every ARPA file and tuning.tsv.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "Scripts"))
sys.path.insert(0, str(REPO / "Scripts" / "corpus"))
import arpa_tools  # noqa: E402
import general_text  # noqa: E402
import text_normalizer  # noqa: E402

EVALUATION_SETS = ["valid.jsonl", "heldout_synthetic.jsonl", "asterisk_test.jsonl"]
# Held-out sets of corpus recipe 3, kept out of the LM text when the corpus has them.
OPTIONAL_EVALUATION_SETS = ["heldout_new.jsonl", "heldout_sentences.jsonl"]


def transcripts(manifest: Path) -> list:
    """The transcripts of a NeMo manifest, through the project's normaliser (Scripts/text_normalizer.py): the
    corpus wrote them normalised, so this changes nothing unless a manifest was written otherwise, and the LM
    text is in the normaliser's alphabet whatever the manifest holds."""
    with manifest.open() as f:
        return [text_normalizer.normalize(json.loads(line)["text"]) for line in f if line.strip()]


def fail(message: str):
    print(f"build_lm: error: {message}", file=sys.stderr)
    sys.exit(1)


def general_texts(include_general: bool = True) -> tuple:
    """(train, held_out, reserved): normalised texts of the fortunes' and general sources' train splits, of
    every text that must stay out of the LM (their valid/held-out splits, the reserved source, the Asterisk test
    transcripts), and of the reserved source alone (sorted, the perplexity text)."""
    train, held_out = set(), set(general_text.test_transcripts())
    parts = [general_text.fortune_split()]
    reserved = sorted(t for _, t in general_text.sentences(general_text.evaluation_source()))
    held_out |= set(reserved)
    if include_general:
        parts += [general_text.split(s) for s in general_text.sources() if s != general_text.evaluation_source()]
    for part in parts:
        train |= {t for _, t in part["train"]}
        held_out |= {t for key in ("valid", "heldout") for _, t in part[key]}
    return train, held_out, reserved


def lm_text(corpus: Path, out: Path, include_general: bool = True) -> dict:
    """Writes the LM text to `out`; returns counts for the note and the reserved source's sentences."""
    train = transcripts(corpus / "train.jsonl")
    general_train, held_out, reserved = general_texts(include_general)
    for name in EVALUATION_SETS + [n for n in OPTIONAL_EVALUATION_SETS if (corpus / n).exists()]:
        held_out |= set(transcripts(corpus / name))
    sentences = sorted(set(t for t in train if t) | general_train)
    shared = [s for s in sentences if s in held_out]
    if shared:
        print(f"build_lm: WARNING: {len(shared)} training sentence(s) equal an evaluation sentence "
              f"({', '.join(EVALUATION_SETS)}, a valid/held-out split or the reserved source) and are left out "
              f"of the LM text:", file=sys.stderr)
        for s in shared[:20]:
            print(f"build_lm:   {s!r}", file=sys.stderr)
    sentences = [s for s in sentences if s not in held_out]
    out.write_text("\n".join(sentences) + "\n")
    # The check that matters, on the file as written: no evaluation sentence in the LM text.
    written = set(out.read_text().splitlines())
    leaked = sorted(written & held_out)
    if leaked:
        fail(f"{len(leaked)} evaluation sentence(s) in the LM text {out}: {leaked[:5]}")
    return {"clips": len(train), "sentences": len(sentences), "left_out": len(shared),
            "words": sum(len(s.split()) for s in sentences), "reserved": reserved}


def lm_variants(earshot: Path, text: Path, work: Path, orders: list, prune: bool, max_mb: float) -> list:
    """Builds every order (and its pruned copy) and scores it on the reserved source; writes lm_eval.tsv.
    Returns rows {"name", "order", "pruned", "path", "mb", "ppl", "oov_rate", "kept"}."""
    sentences = [line for line in text.read_text().splitlines() if line]
    reserved = [line for line in (work / "reserved_eval.txt").read_text().splitlines() if line]
    rows = []
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    for order in orders:
        arpa = work / f"order{order}.arpa"
        pruned = work / f"order{order}-pruned.arpa"
        stamp = work / f"order{order}.text-sha256"       # the ARPA files of a work folder are reused for the same text
        reuse = stamp.exists() and stamp.read_text().strip() == digest and arpa.exists() and (
            pruned.exists() or not (prune and order >= 3))
        if reuse:
            print(f"build_lm: reusing {arpa.name}{' and ' + pruned.name if pruned.exists() else ''} (same LM text)")
        else:
            stamp.unlink(missing_ok=True)
            run([earshot, "lm", "build", text, "-o", arpa, "--order", order])
        variants = [(arpa, False)]
        if prune and order >= 3:
            if not reuse:
                lm = arpa_tools.ARPA(arpa)
                arpa_tools.prune(lm, sentences, min_order=3)
                lm.write(pruned)
            variants.append((pruned, True))
        stamp.write_text(digest + "\n")
        for path, is_pruned in variants:
            r = arpa_tools.ARPA(path).perplexity(reserved)
            mb = path.stat().st_size / 1e6
            row = {"name": path.stem, "order": order, "pruned": is_pruned, "path": path, "mb": mb,
                   "ppl": r["ppl"], "oov_rate": r["oov_rate"], "kept": mb <= max_mb}
            rows.append(row)
            print(f"build_lm: {path.name}: {mb:.2f} MB, reserved-source perplexity {r['ppl']:.1f}, "
                  f"OOV {100 * r['oov_rate']:.2f}%{'' if row['kept'] else ' (too large, not used)'}", flush=True)
    with (work / "lm_eval.tsv").open("w") as f:
        f.write("arpa\torder\tpruned\tmb\tppl\toov_rate\n")
        for r in rows:
            f.write(f"{r['name']}\t{r['order']}\t{int(r['pruned'])}\t{r['mb']:.2f}\t{r['ppl']:.2f}\t"
                    f"{r['oov_rate']:.4f}\n")
    return rows


def run(cmd: list) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{' '.join(map(str, cmd))} exited with {result.returncode}:\n{result.stderr.strip()}")
    return result


def evaluate(earshot: Path, model: Path, manifest: Path, extra: list) -> dict:
    """The summary line of `earshot eval --json`."""
    out = run([earshot, "eval", manifest, "--model", model, "--json", *extra])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="acoustic model; MODEL_STEM.arpa and .lm.json are written beside it")
    parser.add_argument("corpus", type=Path, nargs="?",
                        default=Path(os.environ.get("EARSHOT_CORPUS", str(Path.home() / ".cache/earshot/corpus"))))
    parser.add_argument("--earshot", type=Path,
                        default=Path(os.environ.get("EARSHOT_BIN", str(REPO / ".build/release/earshot"))),
                        help="the earshot executable (default $EARSHOT_BIN, else .build/release/earshot)")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary folder)")
    parser.add_argument("--orders", type=int, nargs="+", default=[3, 4])
    parser.add_argument("--no-prune", dest="prune", action="store_false",
                        help="do not also try each order with its singleton n-grams of order >= 3 pruned")
    parser.add_argument("--no-general", dest="general", action="store_false",
                        help="LM text from the corpus transcripts and fortunes only, not the general sources")
    parser.add_argument("--alphas", type=float, nargs="+", default=[0.2, 0.3, 0.4, 0.5, 0.7, 0.9])
    parser.add_argument("--betas", type=float, nargs="+", default=[-0.5, 0.0, 0.5, 1.0, 2.0])
    parser.add_argument("--max-mb", type=float, default=20.0, help="largest ARPA file kept, in MB (10^6 bytes)")
    parser.add_argument("--lm-only", action="store_true",
                        help="stop after building and scoring the ARPA files (steps 1-2; the model is not used): "
                             "a later run with the same --work reuses them")
    args = parser.parse_args()

    model, corpus, earshot = args.model.resolve(), args.corpus.resolve(), args.earshot.resolve()
    for path in [model, earshot, corpus / "train.jsonl", corpus / "stats.json", *(corpus / n for n in EVALUATION_SETS)]:
        if not path.exists():
            fail(f"{path} does not exist")
    if model.suffix != ".safetensors":
        fail(f"{model}: expected a .safetensors model file")
    stem = model.with_suffix("")
    arpa_out, sidecar_out = Path(f"{stem}.arpa"), Path(f"{stem}.lm.json")
    work = args.work or Path(tempfile.mkdtemp(prefix="earshot-lm-"))
    work.mkdir(parents=True, exist_ok=True)
    valid = corpus / "valid.jsonl"
    print(f"build_lm: model {model}\nbuild_lm: corpus {corpus}\nbuild_lm: work folder {work}", flush=True)

    # 1. The LM text.
    text = work / "lm_text.txt"
    counts = lm_text(corpus, text, args.general)
    (work / "reserved_eval.txt").write_text("\n".join(counts["reserved"]) + "\n")
    print(f"build_lm: LM text: {counts['sentences']} distinct sentences, {counts['words']} words "
          f"(from {counts['clips']} training clips, fortunes and general sources) → {text}; "
          f"{len(counts['reserved'])} sentences of the reserved source {general_text.evaluation_source()} "
          f"for perplexity", flush=True)

    # 2. ARPA files, scored on the reserved source; the lowest perplexity within --max-mb is used.
    variants = lm_variants(earshot, text, work, args.orders, args.prune, args.max_mb)
    usable = [v for v in variants if v["kept"]]
    if not usable:
        fail(f"every ARPA file is larger than {args.max_mb} MB")
    chosen = min(usable, key=lambda v: (v["ppl"], v["mb"]))
    arpas = {chosen["order"]: chosen["path"]}
    print(f"build_lm: using {chosen['name']} (perplexity {chosen['ppl']:.1f} on {general_text.evaluation_source()})",
          flush=True)
    if args.lm_only:
        return

    # 3. alpha and beta on valid.jsonl.
    baseline = evaluate(earshot, model, valid, ["--no-lm"])
    print(f"build_lm: valid without LM (beam): WER {100 * baseline['wer']:.2f}%, CER {100 * baseline['cer']:.2f}%",
          flush=True)
    rows = []
    tuning = work / "tuning.tsv"
    with tuning.open("w") as f:
        f.write("order\talpha\tbeta\twer\tcer\n")
        for order, arpa in arpas.items():
            for alpha in args.alphas:
                for beta in args.betas:
                    started = time.time()
                    r = evaluate(earshot, model, valid, ["--lm", arpa, f"--alpha={alpha}", f"--beta={beta}"])
                    rows.append((r["wer"], r["cer"], order, alpha, beta))
                    f.write(f"{order}\t{alpha}\t{beta}\t{r['wer']:.6f}\t{r['cer']:.6f}\n")
                    f.flush()
                    print(f"build_lm: order {order} alpha {alpha:<4} beta {beta:<4} WER {100 * r['wer']:6.2f}% "
                          f"CER {100 * r['cer']:6.2f}%  ({time.time() - started:.0f} s)", flush=True)
    wer, cer, order, alpha, beta = min(rows)
    print(f"build_lm: best on valid: order {order}, alpha {alpha}, beta {beta}: WER {100 * wer:.2f}%, "
          f"CER {100 * cer:.2f}%", flush=True)

    # 4. The files beside the model (the ARPA first, so the sidecar never names a missing file).
    shutil.copyfile(arpas[order], f"{arpa_out}.tmp")
    os.replace(f"{arpa_out}.tmp", arpa_out)
    grid = f"alpha {{{', '.join(map(str, args.alphas))}}} x beta {{{', '.join(map(str, args.betas))}}}"
    note = (f"Scripts/build_lm.sh: order-{order} interpolated modified Kneser-Ney LM (earshot lm build"
            f"{', singletons of order >= 3 pruned' if chosen['pruned'] else ''}) of "
            f"{counts['sentences']} distinct sentences: the corpus's train.jsonl transcripts, the fortunes' train split"
            f"{' and the train split of the general sources (Scripts/corpus/general_text.py)' if args.general else ''}"
            f" ({counts['left_out']} equal to an evaluation sentence left out); chosen by perplexity "
            f"{chosen['ppl']:.1f} (OOV {100 * chosen['oov_rate']:.2f}%) on the reserved source "
            f"{general_text.evaluation_source()}, never in the LM. alpha and beta chosen by WER on valid.jsonl only "
            f"({baseline['utterances']} clips), over {grid}: WER {100 * wer:.2f}%, "
            f"CER {100 * cer:.2f}% (beam search without LM: WER {100 * baseline['wer']:.2f}%, "
            f"CER {100 * baseline['cer']:.2f}%), for the model {model.name} of "
            f"{time.strftime('%Y-%m-%d', time.localtime(model.stat().st_mtime))}.")
    sidecar = {"arpa": arpa_out.name, "alpha": alpha, "beta": beta, "note": note}
    Path(f"{sidecar_out}.tmp").write_text(json.dumps(sidecar, indent=2) + "\n")
    os.replace(f"{sidecar_out}.tmp", sidecar_out)
    print(f"build_lm: wrote {arpa_out} ({arpa_out.stat().st_size / 1e6:.2f} MB) and {sidecar_out}", flush=True)

    # The sidecar is what plain `earshot eval` now uses: the same WER as the tuning run.
    check = evaluate(earshot, model, valid, [])
    if check.get("language_model") != str(arpa_out) or abs(check["wer"] - wer) > 1e-9:
        fail(f"earshot eval without --lm reports language model {check.get('language_model')} and WER {check['wer']}; "
             f"expected {arpa_out} and {wer}")
    print(f"build_lm: checked: earshot eval without --lm uses {arpa_out.name} (WER {100 * check['wer']:.2f}% on valid)")


if __name__ == "__main__":
    main()
