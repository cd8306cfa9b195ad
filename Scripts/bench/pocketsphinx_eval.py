#!/usr/bin/env python3
"""Accuracy peer: decode every clip of NeMo manifests with pocketsphinx 5.x (its wheel's default US English
acoustic model, dictionary and LM) and score it like Earshot, with jiwer.

    Scripts/bench/pocketsphinx_eval.sh MANIFEST... [--json OUT] [--limit N] [--quiet]
    python3 Scripts/bench/pocketsphinx_eval.py ~/.cache/earshot/corpus/asterisk_test.jsonl \
        ~/.cache/earshot/corpus/heldout_synthetic.jsonl --json /tmp/pocketsphinx.json

Re-runs itself inside ${EARSHOT_PEERS_VENV:-$HOME/.cache/earshot/peers-venv} (Scripts/fixtures/venv_bootstrap.py:
created and pinned by Scripts/bench/peers_requirements.txt: pocketsphinx 5.1.1, jiwer 4.0.0, and Whisper's
packages for whisper_eval.py). Nothing is downloaded at run time: the model ships in the wheel
(`pocketsphinx.get_model_path()`), and the decoder runs with no network (checked under `unshare -rn`).

Manifests: NeMo JSON lines {"audio_filepath" (relative to the manifest's folder), "duration", "text" (the
normalised reference)}. pocketsphinx wants 16 kHz 16-bit mono: any clip in another format (the 8 kHz Asterisk
prompts) is first converted with `sox -R in.wav -r 16000 -b 16 -c 1 out.wav` (-R: the same dither every run,
so the same input) into a temporary folder; that time is not counted.

Decoder: one `pocketsphinx.Decoder(Config())` (defaults: hmm en-us, lm en-us.lm.bin, dict cmudict-en-us.dict,
samprate 16000; only the log is silenced), reused for every clip; per clip
`start_utt(); process_raw(pcm, full_utt=True); end_utt(); hyp().hypstr`. pocketsphinx is single-threaded C: one
process, one thread. RTF = sum of the wall time of those four calls / sum of audio seconds (the model load is
reported apart).

Scoring: pronunciation variants `word(2)` and fillers `<sil>`/`[noise]`/`+breath+` are dropped, then the
hypotheses are normalised like the references, by Scripts/text_normalizer.py (the Python twin of Earshot's
TextNormalizer.swift: lower case, numbers spelled out, `-` → space, dotted abbreviations such as `a.m.` letter
by letter, every character other than a-z, apostrophe and space removed). Corpus-level `jiwer.wer` /
`jiwer.cer` over the lists of references and hypotheses; substitutions, deletions and insertions from
`jiwer.process_words`.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Scripts" / "fixtures"))
sys.path.insert(0, str(REPO / "Scripts"))
import venv_bootstrap  # noqa: E402
import text_normalizer  # noqa: E402

PINS = Path(__file__).resolve().with_name("peers_requirements.txt")


# ------------------------------------------------------------------------------------------ normalising

def normalize(hypstr: str) -> str:
    """pocketsphinx's own marks dropped (fillers `<sil>`, `[noise]`, `+breath+`; pronunciation variants
    `read(2)`), then the project's normaliser (Scripts/text_normalizer.py, the twin of TextNormalizer.swift)."""
    words = [re.sub(r"\(\d+\)$", "", w) for w in hypstr.split() if not w.startswith(("<", "[", "+"))]
    return text_normalizer.normalize(" ".join(words))


# ------------------------------------------------------------------------------------------ audio

def read_pcm16k(path: Path, tmp: Path) -> tuple:
    """(16 kHz 16-bit mono PCM bytes, seconds spent converting)."""
    with wave.open(str(path), "rb") as w:
        ok = w.getframerate() == 16000 and w.getsampwidth() == 2 and w.getnchannels() == 1 \
            and w.getcomptype() == "NONE"
        if ok:
            return w.readframes(w.getnframes()), 0.0
    out = tmp / (path.stem + ".16k.wav")
    t0 = time.perf_counter()
    subprocess.run(["sox", "-R", str(path), "-r", "16000", "-b", "16", "-c", "1", str(out)], check=True)
    spent = time.perf_counter() - t0
    with wave.open(str(out), "rb") as w:
        pcm = w.readframes(w.getnframes())
    out.unlink()
    return pcm, spent


# ------------------------------------------------------------------------------------------ decoding

def evaluate(manifest: Path, decoder, limit: int, verbose: bool) -> dict:
    import jiwer
    rows = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    refs, hyps, utterances = [], [], []
    audio_s = decode_s = convert_s = 0.0
    converted = 0
    with tempfile.TemporaryDirectory(prefix="earshot-ps-") as tmpdir:
        for i, row in enumerate(rows):
            path = manifest.parent / row["audio_filepath"]
            pcm, spent = read_pcm16k(path, Path(tmpdir))
            if spent:
                converted += 1
                convert_s += spent
            seconds = len(pcm) / 2 / 16000
            t0 = time.perf_counter()
            decoder.start_utt()
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            hyp = decoder.hyp()
            raw = hyp.hypstr if hyp is not None else ""
            elapsed = time.perf_counter() - t0
            audio_s += seconds
            decode_s += elapsed
            ref = row["text"]
            norm = normalize(raw)
            refs.append(ref)
            hyps.append(norm)
            utterances.append({"audio_filepath": row["audio_filepath"], "seconds": round(seconds, 4),
                               "decode_seconds": round(elapsed, 4), "ref": ref, "hyp": norm, "raw_hyp": raw})
            if verbose:
                print(f"  [{i + 1}/{len(rows)}] {row['audio_filepath']}\n    ref: {ref}\n    hyp: {norm}",
                      file=sys.stderr)
    words = jiwer.process_words(refs, hyps)
    return {
        "manifest": str(manifest),
        "clips": len(rows),
        "clips_resampled": converted,
        "audio_seconds": round(audio_s, 3),
        "wer": jiwer.wer(refs, hyps),
        "cer": jiwer.cer(refs, hyps),
        "reference_words": sum(len(r.split()) for r in refs),
        "hits": words.hits,
        "substitutions": words.substitutions,
        "deletions": words.deletions,
        "insertions": words.insertions,
        "empty_hypotheses": sum(1 for h in hyps if not h),
        "decode_seconds": round(decode_s, 3),
        "rtf": decode_s / audio_s if audio_s else None,
        "resample_seconds_excluded": round(convert_s, 3),
        "utterances": utterances,
    }


def dir_size(path: Path) -> int:
    """Bytes of the files under `path`: the model's size on disk."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifests", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="write the results (with per-clip hypotheses) here")
    parser.add_argument("--limit", type=int, default=0, help="first N clips of each manifest (0: all)")
    parser.add_argument("--verbose", action="store_true", help="print every reference and hypothesis")
    args = parser.parse_args()
    if not shutil.which("sox"):
        sys.exit("pocketsphinx_eval: sox is needed to resample (apt-get install sox)")

    import jiwer  # noqa: F401
    from importlib import metadata
    import pocketsphinx
    from pocketsphinx import Config, Decoder

    t0 = time.perf_counter()
    config = Config(loglevel="FATAL")
    decoder = Decoder(config)
    load_s = time.perf_counter() - t0
    model = {key: config[key] for key in ("hmm", "lm", "dict", "samprate")}
    model_dir = Path(pocketsphinx.get_model_path())
    model = {k: (str(Path(v).relative_to(model_dir)) if isinstance(v, str) and v.startswith(str(model_dir))
                 else v) for k, v in model.items()}

    results = []
    for manifest in args.manifests:
        print(f"decoding {manifest} …", file=sys.stderr)
        results.append(evaluate(manifest.expanduser(), decoder, args.limit, args.verbose))

    versions = {"pocketsphinx": metadata.version("pocketsphinx"), "jiwer": metadata.version("jiwer"),
                "python": platform.python_version(),
                "sox": subprocess.run(["sox", "--version"], capture_output=True, text=True).stdout.strip()}
    header = (f"{'manifest':<26} {'clips':>5} {'audio s':>8} {'WER %':>6} {'CER %':>6} {'S':>5} {'D':>5} "
              f"{'I':>5} {'RTF':>6}")
    print(f"pocketsphinx {versions['pocketsphinx']} (default en-us model, {model['lm']}), jiwer "
          f"{versions['jiwer']}, one thread; model load {load_s:.2f} s")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{Path(r['manifest']).name:<26} {r['clips']:>5} {r['audio_seconds']:>8.1f} {100 * r['wer']:>6.2f} "
              f"{100 * r['cer']:>6.2f} {r['substitutions']:>5} {r['deletions']:>5} {r['insertions']:>5} "
              f"{r['rtf']:>6.3f}")
    if args.json:
        out = {"tool": "pocketsphinx", "pocketsphinx_version": versions["pocketsphinx"], "versions": versions,
               "model": model, "model_load_seconds": round(load_s, 3), "threads": 1,
               "machine": {"cpu": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
                           "nice": os.nice(0), "cpu_affinity": sorted(os.sched_getaffinity(0))},
               "model_size_bytes": dir_size(model_dir),
               "results": results}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1) + "\n")
        print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    venv_bootstrap.reexec_in_venv(__file__, requirements=PINS, venv=venv_bootstrap.peers_venv_dir())
    main()
