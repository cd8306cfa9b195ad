#!/usr/bin/env python3
"""CTC beam-search benchmark: Earshot's BeamSearchDecoder vs torchaudio's flashlight decoder and pyctcdecode,
one thread each, on the same realistic posteriors of a 10 s utterance (333 frames × 29 outputs), no LM.

    Scripts/bench/decoder.sh [--repeats 21] [--write]      # builds earshot-bench first, then runs this
    python3 Scripts/bench/decoder.py [--repeats 21] [--frames 333] [--seed 2026] [--earshot-bench PATH]

Posteriors: `realistic_posteriors(seed, frames)` of Scripts/fixtures/make_beam_fixtures.py (a seeded Zen of
Python sentence, 1–3 frames per character, 0–3 blank frames between, logits N(0, 1) + a peak of 10–14, 15% of
frames with a rival 0–3 below the peak; log-softmax). Hotwords: 100 made-up words, half of them Zen words with
two of j, q, x, z appended (every spoken Zen word is a prefix of one, so the matcher works on every character,
yet no hotword is a cheap edit of the audio, so the transcript must not change), half random letters.

Tools, each timed on the log-probabilities already in memory, median of --repeats runs after one warm-up:
  flashlight   torchaudio.models.decoder.ctc_decoder(lexicon=None, tokens, lm=None, beam_size=B,
               blank_token='-', sil_token='|'), its defaults otherwise (beam_size_token=None = all tokens,
               beam_threshold=50, log_add=False); called on a (1, T, V) float32 tensor
  pyctcdecode  build_ctcdecoder(['', ' ', 'a'…'z', "'"]).decode(log_probs, beam_width=B) (its defaults
               beam_prune_logp=-10, token_min_logp=-5); with hotwords: hotwords=[…], hotword_weight=10
               (fewer runs: it is slow)
  earshot      earshot-bench decode <npy> --beam B [--hotwords FILE] [--blank-skip P] --repeats N (times
               itself in-process, one reused workspace; prints one JSON line), its three settings
               interleaved over --rounds processes, median of all runs; reported as missing when the
               binary is not built or has no `decode` command
Transcripts are compared (top hypothesis, spaces collapsed); scores are not (different conventions).

--write replaces the block between <!-- decoder:begin --> and <!-- decoder:end --> in BENCHMARKS.md.
"""

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import shlex  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Scripts" / "fixtures"))
import venv_bootstrap  # noqa: E402

venv_bootstrap.reexec_in_venv(__file__)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import machine, write_block  # noqa: E402

import make_beam_fixtures as fixtures  # noqa: E402

fixtures.ensure_decoders()

import numpy as np  # noqa: E402

BENCH_BIN = REPO / ".build" / "release" / "earshot-bench"
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- decoder:begin -->", "<!-- decoder:end -->"
BEAMS = (32, 100)
RARE = "jqxz"  # appended to Zen words: no English word continues with them, so no hotword is a cheap edit away


def make_hotwords(seed: int, count: int = 100) -> list:
    rng = np.random.default_rng(seed)
    words = [w for w in fixtures.zen_words() if len(w) >= 3]
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    while len(out) < count // 2:
        w = words[len(out) % len(words)]
        out.append(w + "".join(RARE[int(rng.integers(len(RARE)))] for _ in range(2)))
    while len(out) < count:
        out.append("".join(letters[int(rng.integers(26))] for _ in range(int(rng.integers(4, 10)))))
    return out


def timed(fn, repeats: int):
    out = fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return times, out


def run_earshot(bench_bin: Path, npy: Path, beam: int, repeats: int, hotwords: Path = None, blank_skip=None):
    if not bench_bin.exists():
        return None, f"{bench_bin} not built"
    cmd = [str(bench_bin), "decode", str(npy), "--beam", str(beam), "--repeats", str(repeats)]
    if hotwords is not None:
        cmd += ["--hotwords", str(hotwords)]
    if blank_skip is not None:
        cmd += ["--blank-skip", str(blank_skip)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return None, (proc.stderr.strip().splitlines() or ["failed"])[-1]
    return json.loads(proc.stdout.strip().splitlines()[-1]), ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=21, help="timed runs after one warm-up (default 21; "
                    "pyctcdecode gets a third of them)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds of Earshot's settings (default 5)")
    ap.add_argument("--frames", type=int, default=333, help="T (default 333: 10 s at 30 ms per frame)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--earshot-bench", type=Path, default=BENCH_BIN,
                    help="the earshot-bench executable (default: .build/release/earshot-bench)")
    ap.add_argument("--write", action="store_true", help="update the decoder block of BENCHMARKS.md")
    args = ap.parse_args()

    import torch

    torch.set_num_threads(1)
    log_probs, truth = fixtures.realistic_posteriors(args.seed, args.frames)
    hotwords = make_hotwords(args.seed)
    skip_frames = int((np.exp(log_probs[:, 0]) >= 0.999).sum())
    load_before = os.getloadavg()[0]
    rows = []  # (tool, beam, setting, median s, times, text)
    with tempfile.TemporaryDirectory(prefix="earshot-decoder-") as tmp:
        npy = Path(tmp) / "posteriors.npy"
        np.save(npy, np.ascontiguousarray(log_probs, dtype="<f4"))
        hot_file = Path(tmp) / "hotwords.txt"
        hot_file.write_text("\n".join(hotwords) + "\n")
        emissions = torch.from_numpy(log_probs)[None]
        py = fixtures.pyctcdecode_decoder()
        for beam in BEAMS:
            print(f"timing flashlight, beam {beam} ...", file=sys.stderr)
            flash = fixtures.flashlight_decoder(beam)
            times, _ = timed(lambda: flash(emissions), args.repeats)
            rows.append(("flashlight (torchaudio ctc_decoder)", beam, "", statistics.median(times), times,
                         fixtures.flashlight_top(flash, log_probs)[0]))
            print(f"timing pyctcdecode, beam {beam} ...", file=sys.stderr)
            n = max(3, args.repeats // 3)
            times, beams = timed(lambda: py.decode_beams(log_probs, beam_width=beam), n)
            rows.append(("pyctcdecode", beam, "", statistics.median(times), times, fixtures.single_spaced(beams[0][0])))
            times, beams = timed(lambda: py.decode_beams(log_probs, beam_width=beam, hotwords=hotwords), max(3, n // 2))
            rows.append(("pyctcdecode", beam, "100 hotwords", statistics.median(times), times,
                         fixtures.single_spaced(beams[0][0])))
            # Our settings are interleaved over --rounds rounds (each a fresh process with --repeats runs), so
            # that a burst of load on the machine hits them alike; the median is over all runs.
            settings = (("", {}), ("100 hotwords", {"hotwords": hot_file}), ("no blank skip", {"blank_skip": 2}))
            collected = {setting: ([], "", "") for setting, _ in settings}
            print(f"timing earshot, beam {beam} ({args.rounds} rounds) ...", file=sys.stderr)
            for _ in range(args.rounds):
                for setting, kwargs in settings:
                    ours, why = run_earshot(args.earshot_bench, npy, beam, args.repeats, **kwargs)
                    times, text, missing = collected[setting]
                    if ours is None:
                        collected[setting] = (times, text, why)
                    else:
                        collected[setting] = (times + ours["times"], ours["text"], missing)
            for setting, _ in settings:
                times, text, why = collected[setting]
                if not times:
                    rows.append(("Earshot (earshot-bench)", beam, setting + f" — missing: {why}", None, [], ""))
                else:
                    rows.append(("Earshot (earshot-bench)", beam, setting, statistics.median(times), times, text))
    load_after = os.getloadavg()[0]

    def median_of(tool, beam, setting=""):
        return next((r[3] for r in rows if r[0].startswith(tool) and r[1] == beam and r[2] == setting), None)

    lines = ["| tool | beam | setting | median ms | min–max ms | flashlight / tool | transcript = flashlight's |",
             "| --- | ---: | --- | ---: | ---: | ---: | --- |"]
    for tool, beam, setting, med, times, text in rows:
        flash = median_of("flashlight", beam)
        flash_text = next(r[5] for r in rows if r[0].startswith("flashlight") and r[1] == beam)
        if med is None:
            lines.append(f"| {tool} | {beam} | {setting} | — | — | — | — |")
            continue
        lines.append(f"| {tool} | {beam} | {setting or '—'} | {1000 * med:.2f} | {1000 * min(times):.2f}–"
                     f"{1000 * max(times):.2f} | {flash / med:.2f} | {'yes' if text == flash_text else 'no'} |")
    notes = []
    for beam in BEAMS:
        none, hot = median_of("Earshot", beam), median_of("Earshot", beam, "100 hotwords")
        if none and hot:
            notes.append(f"Earshot beam {beam}: 100 hotwords cost {hot / none:.2f}× no hotwords")
        none, hot = median_of("pyctcdecode", beam), median_of("pyctcdecode", beam, "100 hotwords")
        if none and hot:
            notes.append(f"pyctcdecode beam {beam}: 100 hotwords cost {hot / none:.2f}× no hotwords")
    texts = sorted({r[5] for r in rows if r[5]})
    notes.append(f"distinct transcripts: {len(texts)}" + "".join(f"\n  - {t!r}" for t in texts))
    notes.append(f"truth: {truth!r}")

    from importlib import metadata
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("torch", "torchaudio", "flashlight-text",
                                                                "pyctcdecode", "numpy"))
    cmd = " ".join(["Scripts/bench/decoder.sh", shlex.join(sys.argv[1:])]).strip()
    block = "\n".join([
        BEGIN,
        "## Decoder: CTC prefix beam search, no language model",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {machine()}; one thread each; 1-minute load {load_before:.2f} before, {load_after:.2f} after",
        f"- Input: realistic posteriors, T = {args.frames} × V = 29 (seed {args.seed}; {skip_frames} frames with "
        "P(blank) ≥ 0.999), log-probabilities in memory",
        f"- Median of {args.repeats} runs after a warm-up (pyctcdecode: fewer); Earshot times itself in "
        f"`earshot-bench decode`, its settings interleaved over {args.rounds} rounds ({args.rounds} × "
        f"{args.repeats} runs each)",
        f"- Versions: {versions}",
        f"- Reproduce: `{cmd}`",
        "",
        *lines,
        "",
        *[f"- {n}" for n in notes],
        END,
    ])
    print("\n".join(lines))
    print("\n".join(notes))
    if args.write:
        write_block(block, BEGIN, END)
        print(f"updated {BENCHMARKS_MD}", file=sys.stderr)


if __name__ == "__main__":
    main()
