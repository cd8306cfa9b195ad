#!/usr/bin/env python3
"""Accuracy peer: decode every clip of NeMo manifests with pocketsphinx 5.x (its wheel's default US English
acoustic model, dictionary and LM) and score it like Earshot, with jiwer.

    Scripts/bench/pocketsphinx_eval.sh [MANIFEST...] [--json OUT] [--limit N] [--verbose]
    python3 Scripts/bench/pocketsphinx_eval.py ~/.cache/earshot/corpus/asterisk_test.jsonl \
        ~/.cache/earshot/corpus/heldout_synthetic.jsonl --json /tmp/pocketsphinx.json

With no manifest: asterisk_test.jsonl and heldout_synthetic.jsonl of ${EARSHOT_CORPUS:-~/.cache/earshot/corpus}.
What both peers share (command line, audio, timing, scoring, table, JSON) is in Scripts/bench/peer_eval.py.

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

import re
import time
from pathlib import Path

import peer_eval
from peer_eval import text_normalizer


def normalize(hypstr: str) -> str:
    """pocketsphinx's own marks dropped (fillers `<sil>`, `[noise]`, `+breath+`; pronunciation variants
    `read(2)`), then the project's normaliser (Scripts/text_normalizer.py, the twin of TextNormalizer.swift)."""
    words = [re.sub(r"\(\d+\)$", "", w) for w in hypstr.split() if not w.startswith(("<", "[", "+"))]
    return text_normalizer.normalize(" ".join(words))


def main() -> None:
    args = peer_eval.parse_args(__doc__.split("\n\n")[0], "pocketsphinx")

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

    def transcribe(pcm: bytes) -> str:
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        return hyp.hypstr if hyp is not None else ""

    results = peer_eval.evaluate_all(args, transcribe, normalize=normalize)

    versions = peer_eval.versions("pocketsphinx", "jiwer")
    peer_eval.print_table(f"pocketsphinx {versions['pocketsphinx']} (default en-us model, {model['lm']}), jiwer "
                          f"{versions['jiwer']}, one thread; model load {load_s:.2f} s", results)
    peer_eval.write_json(args.json, {
        "tool": "pocketsphinx", "pocketsphinx_version": versions["pocketsphinx"], "versions": versions,
        "model": model, "model_load_seconds": round(load_s, 3), "threads": 1, "machine": peer_eval.machine(),
        "model_size_bytes": peer_eval.dir_size(model_dir), "results": results})


if __name__ == "__main__":
    peer_eval.reexec_in_peers_venv(__file__)
    main()
