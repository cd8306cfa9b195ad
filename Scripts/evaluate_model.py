#!/usr/bin/env python3
"""Accuracy table of an Earshot model for its model card: `earshot eval` on the evaluation sets, at
telephone (8 kHz) and wideband (16 kHz) sampling, next to pocketsphinx on the same clips.

    python3 Scripts/evaluate_model.py MODEL [--corpus DIR] [--pocketsphinx JSON]

Sets (from Scripts/corpus/build_corpus.sh, never trained on):
  asterisk_test       real human speech (one speaker, telephone prompts), as shipped: 8 kHz
  asterisk_test@16k   the same clips upsampled to 16 kHz with sox (narrowband content in a wideband file)
  heldout_synthetic   held-out voices (flite slt, festival us-slt-hts) reading held-out sentences, 16 kHz
  heldout_synthetic@8k  the same through an 8 kHz telephone rate (sox), what a phone line would deliver
Prints a markdown table (WER, CER, and the real-time factor `earshot eval` reports: decoding time over audio
time, 2 cores) to paste into Models/README.md. --pocketsphinx takes the JSON written by
Scripts/bench/pocketsphinx_eval.py and adds its rows.
"""

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".build" / "release" / "earshot"


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


def evaluate(model: str, manifest: Path) -> dict:
    out = subprocess.run([str(BIN), "eval", str(manifest), "--model", model, "--json"], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--corpus", default=os.environ.get("EARSHOT_CORPUS", str(Path.home() / ".cache/earshot/corpus")))
    parser.add_argument("--pocketsphinx", help="JSON from Scripts/bench/pocketsphinx_eval.py --json")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    work = Path(tempfile.mkdtemp(prefix="earshot-eval-"))
    sets = [
        ("asterisk_test (8 kHz)", corpus / "asterisk_test.jsonl"),
        ("asterisk_test upsampled to 16 kHz", resampled(corpus / "asterisk_test.jsonl", 16000, work)),
        ("held-out voices (16 kHz)", corpus / "heldout_synthetic.jsonl"),
        ("held-out voices through 8 kHz", resampled(corpus / "heldout_synthetic.jsonl", 8000, work)),
    ]
    rows = ["| set | clips | audio s | Earshot WER % | Earshot CER % | Earshot RTF |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, manifest in sets:
        r = evaluate(args.model, manifest)
        rows.append(f"| {name} | {r['utterances']} | {r['audio_seconds']:.0f} | {100 * r['wer']:.2f} | "
                    f"{100 * r['cer']:.2f} | {r['real_time_factor']:.4f} |")
        print(rows[-1], flush=True)
    if args.pocketsphinx:
        rows += ["", "| pocketsphinx 5.1.1 (16 kHz input) | clips | audio s | WER % | CER % | RTF |",
                 "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for result in json.loads(Path(args.pocketsphinx).read_text()).get("results", []):
            rows.append(f"| {Path(result['manifest']).name} | {result['clips']} | {result['audio_seconds']:.0f} | "
                        f"{100 * result['wer']:.2f} | {100 * result['cer']:.2f} | {result['rtf']:.3f} |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
