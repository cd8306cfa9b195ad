#!/usr/bin/env python3
"""Builds the word language model shipped beside an Earshot acoustic model, and tunes its weights.

    Scripts/build_lm.sh MODEL.safetensors [CORPUS]       (builds the release earshot, then runs this)
    python3 Scripts/build_lm.py MODEL.safetensors [CORPUS] [--earshot BIN] [--work DIR] [--orders 3 4] …

CORPUS is the folder of Scripts/corpus/build_corpus.sh (default ${EARSHOT_CORPUS:-~/.cache/earshot/corpus}).

1. LM text: the distinct transcripts of CORPUS/train.jsonl (fortune sentences and Asterisk training prompts, as
   the corpus normalised them), one per line, sorted. Nothing from valid.jsonl, heldout_synthetic.jsonl or
   asterisk_test.jsonl may be in it: a training transcript that happens to equal one of theirs (distinct Asterisk
   prompts can share a text across the train/valid split) is left out and listed, and the finished text is
   checked again; the script stops if any evaluation sentence is in it.
2. `earshot lm build` (interpolated modified Kneser-Ney) at each --orders; an ARPA file larger than --max-mb is
   not used (it is committed beside the model).
3. alpha and beta by WER on valid.jsonl ONLY (`earshot eval valid.jsonl --json --lm … --alpha … --beta …`), over
   --alphas × --betas for each order; ties go to the lower CER, then the lower order. The test sets are never
   decoded here.
4. Writes MODEL_STEM.arpa and MODEL_STEM.lm.json (`{"arpa", "alpha", "beta", "note"}`, read by
   `DecoderDefaults` in the Earshot module) beside MODEL, then checks that `earshot eval valid.jsonl` without
   --lm picks them up and gives the tuned WER.

The work folder (--work, default a new temporary folder) keeps the LM text, every ARPA file and tuning.tsv.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVALUATION_SETS = ["valid.jsonl", "heldout_synthetic.jsonl", "asterisk_test.jsonl"]


def normalise(text: str) -> str:
    """The corpus transcripts are already normalised (lower case, a-z, apostrophes, single spaces); this only
    guards the comparison against case and spacing differences."""
    return " ".join(text.lower().split())


def transcripts(manifest: Path) -> list:
    with manifest.open() as f:
        return [normalise(json.loads(line)["text"]) for line in f if line.strip()]


def fail(message: str):
    print(f"build_lm: error: {message}", file=sys.stderr)
    sys.exit(1)


def lm_text(corpus: Path, out: Path) -> dict:
    """Writes the LM text to `out`; returns counts for the note."""
    train = transcripts(corpus / "train.jsonl")
    held_out = set()
    for name in EVALUATION_SETS:
        held_out |= set(transcripts(corpus / name))
    sentences = sorted(set(t for t in train if t))
    shared = [s for s in sentences if s in held_out]
    if shared:
        print(f"build_lm: WARNING: {len(shared)} training transcript(s) equal a sentence of "
              f"{', '.join(EVALUATION_SETS)} and are left out of the LM text:", file=sys.stderr)
        for s in shared:
            print(f"build_lm:   {s!r}", file=sys.stderr)
    sentences = [s for s in sentences if s not in held_out]
    out.write_text("\n".join(sentences) + "\n")
    # The check that matters, on the file as written: no evaluation sentence in the LM text.
    written = set(out.read_text().splitlines())
    leaked = sorted(written & held_out)
    if leaked:
        fail(f"{len(leaked)} evaluation sentence(s) in the LM text {out}: {leaked[:5]}")
    return {"clips": len(train), "sentences": len(sentences), "left_out": len(shared),
            "words": sum(len(s.split()) for s in sentences)}


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
    parser.add_argument("--alphas", type=float, nargs="+", default=[0.2, 0.3, 0.4, 0.5, 0.7, 0.9])
    parser.add_argument("--betas", type=float, nargs="+", default=[-0.5, 0.0, 0.5, 1.0, 2.0])
    parser.add_argument("--max-mb", type=float, default=5.0, help="largest ARPA file kept, in MB (10^6 bytes)")
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
    counts = lm_text(corpus, text)
    print(f"build_lm: LM text: {counts['sentences']} distinct sentences, {counts['words']} words "
          f"(from {counts['clips']} training clips) → {text}", flush=True)

    # 2. ARPA files.
    arpas = {}
    for order in args.orders:
        arpa = work / f"order{order}.arpa"
        run([earshot, "lm", "build", text, "-o", arpa, "--order", order])
        size = arpa.stat().st_size
        kept = size <= args.max_mb * 1e6
        print(f"build_lm: order {order}: {size / 1e6:.2f} MB{'' if kept else ' (too large, not used)'}", flush=True)
        if kept:
            arpas[order] = arpa
    if not arpas:
        fail(f"every ARPA file is larger than {args.max_mb} MB")

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
    orders = ", ".join(str(o) for o in arpas)
    note = (f"Scripts/build_lm.sh: order-{order} interpolated modified Kneser-Ney LM (earshot lm build) of the "
            f"{counts['sentences']} distinct transcripts of the corpus's train.jsonl ({counts['left_out']} equal to an "
            f"evaluation sentence left out). alpha and beta chosen by WER on valid.jsonl only "
            f"({baseline['utterances']} clips), over orders {{{orders}}} x {grid}: WER {100 * wer:.2f}%, "
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
