#!/usr/bin/env python3
"""Accuracy table of an Earshot model for its model card: `earshot eval` on the evaluation sets, at
telephone (8 kHz) and wideband (16 kHz) sampling, next to pocketsphinx on the same clips.

    python3 Scripts/evaluate_model.py MODEL [--corpus DIR] [--pocketsphinx JSON]

Sets (from Scripts/corpus/build_corpus.sh, never trained on):
  asterisk_test       real human speech (one speaker, telephone prompts), as shipped: 8 kHz
  asterisk_test@16k   the same clips upsampled to 16 kHz with sox (narrowband content in a wideband file)
  heldout_synthetic   held-out voices (flite slt, festival us-slt-hts) reading held-out sentences, 16 kHz
  heldout_synthetic@8k  the same through an 8 kHz telephone rate (sox), what a phone line would deliver
Each set is decoded three times: with Earshot's default decoding (beam search with the language model of the model's
sidecar MODEL_STEM.lm.json, when it has one: what `earshot transcribe` does out of the box) and with beam search
and no language model (`--no-lm`, the acoustic model alone), and by default decoding with the model run chunk by
chunk as `earshot stream` runs it (`--chunk-steps 8 --lookahead-steps 8`, `--stream NC NR`). A last line gives
the real-time factor of the default decoding on one core (taskset -c 0). Prints a markdown table (WER, CER, and the real-time
factor `earshot eval` reports: decoding time over audio time, 2 cores) to paste into Models/README.md; the
decoding column says which language model and weights each row used. --pocketsphinx takes the JSON written by
Scripts/bench/pocketsphinx_eval.py and adds its rows.
"""

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("EARSHOT_BIN", str(REPO / ".build" / "release" / "earshot")))  # $EARSHOT_BIN: another build


def resampled(manifest: Path, rate: int, work: Path) -> Path:
    """A copy of `manifest` whose clips are converted to `rate` Hz 16-bit mono with sox."""
    out_dir = work / f"{manifest.stem}_{rate}"
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = []
    for line in manifest.read_text().splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        source = manifest.parent / entry["audio_filepath"]
        target = out_dir / (Path(entry["audio_filepath"]).stem + ".wav")
        subprocess.check_call(["sox", str(source), "-r", str(rate), "-b", "16", "-c", "1", str(target)],
                              stderr=subprocess.DEVNULL)
        entry["audio_filepath"] = str(target)
        lines.append(json.dumps(entry))
    copy = work / f"{manifest.stem}_{rate}.jsonl"
    copy.write_text("\n".join(lines) + "\n")
    return copy


def evaluate(model: str, manifest: Path, extra: list, prefix=()) -> dict:
    out = subprocess.run([*prefix, str(BIN), "eval", str(manifest), "--model", model, "--json", *extra], capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise SystemExit(f"earshot eval {manifest} {' '.join(extra)} failed:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def decoding(r: dict) -> str:
    """The decoding column: which language model `earshot eval` reports it used."""
    if r.get("language_model") is None:
        return "beam, no LM"
    return f"beam + {Path(r['language_model']).name} (α {r['alpha']:g}, β {r['beta']:g})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--corpus", default=os.environ.get("EARSHOT_CORPUS", str(Path.home() / ".cache/earshot/corpus")))
    parser.add_argument("--pocketsphinx", help="JSON from Scripts/bench/pocketsphinx_eval.py --json")
    parser.add_argument("--stream", type=int, nargs=2, default=[8, 8], metavar=("NC", "NR"),
                        help="chunking of the streaming rows (earshot stream's default: 8 8)")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    work = Path(tempfile.mkdtemp(prefix="earshot-eval-"))
    sets = [
        ("asterisk_test (8 kHz)", corpus / "asterisk_test.jsonl"),
        ("asterisk_test upsampled to 16 kHz", resampled(corpus / "asterisk_test.jsonl", 16000, work)),
        ("held-out voices (16 kHz)", corpus / "heldout_synthetic.jsonl"),
        ("held-out voices through 8 kHz", resampled(corpus / "heldout_synthetic.jsonl", 8000, work)),
    ]
    # Where `earshot` looks for it (DecoderDefaults.sidecarPath): X.safetensors → X.lm.json.
    model = args.model[:-len(".safetensors")] if args.model.endswith(".safetensors") else args.model
    sidecar = Path(model + ".lm.json")
    runs = [("default", [])] if sidecar.exists() else []
    runs.append(("no LM", ["--no-lm"]))
    nc, nr = args.stream
    runs.append(("stream", ["--chunk-steps", str(nc), "--lookahead-steps", str(nr)]))
    if not sidecar.exists():
        print(f"(no {sidecar.name} beside the model: the default decoding is beam search without LM)", flush=True)
    rows = ["| set | Earshot decoding | clips | audio s | Earshot WER % | Earshot CER % | Earshot RTF |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, manifest in sets:
        for label, extra in runs:
            r = evaluate(args.model, manifest, extra)
            how = {"default": f"default: {decoding(r)}", "no LM": f"{decoding(r)} (--no-lm)",
                   "stream": f"streaming chunks Nc {nc} / Nr {nr}: {decoding(r)}"}[label]
            rows.append(f"| {name} | {how} | {r['utterances']} | {r['audio_seconds']:.0f} | "
                        f"{100 * r['wer']:.2f} | {100 * r['cer']:.2f} | {r['real_time_factor']:.4f} |")
            print(rows[-1], flush=True)
    # The real-time factor on one core: the default decoding of the real-speech set pinned to CPU 0.
    one = evaluate(args.model, sets[0][1], [], prefix=("taskset", "-c", "0"))
    rows += ["", f"One core (`taskset -c 0`), default decoding, {sets[0][0]}: real-time factor "
                 f"{one['real_time_factor']:.4f}"]
    if args.pocketsphinx:
        rows += ["", "| pocketsphinx 5.1.1 (16 kHz input) | clips | audio s | WER % | CER % | RTF |",
                 "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for result in json.loads(Path(args.pocketsphinx).read_text()).get("results", []):
            rows.append(f"| {Path(result['manifest']).name} | {result['clips']} | {result['audio_seconds']:.0f} | "
                        f"{100 * result['wer']:.2f} | {100 * result['cer']:.2f} | {result['rtf']:.3f} |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
