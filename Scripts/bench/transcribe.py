#!/usr/bin/env python3
"""End-to-end `earshot transcribe`: real-time factor on 1 and 2 threads, and peak memory for 1 minute vs
60 minutes of audio (memory must not grow with the length of the audio).

    Scripts/bench/transcribe.sh [--write]     # builds the release binaries, then runs this

The model is the reference architecture (80 log-mel × 3 stacked, 3 BiLSTM layers of 256 per direction,
29 outputs) with untrained weights (`earshot-bench random-model`): the cost of the front end and the network
does not depend on the weights. (Default decoding, beam search with beam 32: its cost depends on how peaked the
posteriors are — untrained ones are not — and is measured on realistic posteriors in the decoder benchmark.)
The audio is espeak-ng speech at 16 kHz, repeated to 60 s and to 3600 s with sox. Peak RSS is the child's
`ru_maxrss` (getrusage). Each timing is the median of --repeats runs (the 60 min file once per thread count).
Every case runs with the LSTM weights in float32 and in int8 (`--precision`), interleaved run by run.
--write replaces the block between <!-- transcribe:begin --> and <!-- transcribe:end --> in BENCHMARKS.md.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import machine, run_measured, write_block  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".build" / "release"
BEGIN, END = "<!-- transcribe:begin -->", "<!-- transcribe:end -->"
PRECISIONS = ("f32", "int8")
TEXT = ("Earshot turns speech into text without the cloud. It reads audio files, computes log mel features, "
        "runs a bidirectional recurrent network and decodes characters into words. ")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="earshot-bench-"))
    model = work / "random.safetensors"
    subprocess.check_call([str(BIN / "earshot-bench"), "random-model", str(model)])
    raw = work / "speech.wav"
    subprocess.check_call(["espeak-ng", "-v", "en-us", "-w", str(work / "espeak.wav"), TEXT * 3])
    subprocess.check_call(["sox", str(work / "espeak.wav"), "-r", "16000", "-b", "16", "-c", "1", str(raw)])
    seconds = float(subprocess.check_output(["soxi", "-D", str(raw)]).decode())
    one = work / "one-minute.wav"
    hour = work / "sixty-minutes.wav"
    subprocess.check_call(["sox", str(raw), str(one), "repeat", str(int(60 / seconds) + 1), "trim", "0", "60"])
    subprocess.check_call(["sox", str(one), str(hour), "repeat", "59"])

    load_before = os.getloadavg()[0]
    rows = []
    for label, path, audio_seconds, repeats in [("1 min", one, 60.0, args.repeats), ("60 min", hour, 3600.0, 1)]:
        for threads in (1, 2):
            walls = {p: [] for p in PRECISIONS}
            peaks = {p: [] for p in PRECISIONS}
            for _ in range(repeats):
                for precision in PRECISIONS:
                    wall, peak, _ = run_measured(
                        [str(BIN / "earshot"), "transcribe", str(path), "--model", str(model), "--threads",
                         str(threads), "--precision", precision])
                    walls[precision].append(wall)
                    peaks[precision].append(peak)
            for precision in PRECISIONS:
                wall = statistics.median(walls[precision])
                rows.append((label, threads, precision, wall, wall / audio_seconds, max(peaks[precision])))
                print(f"{label:7s} threads {threads} {precision}: {wall:7.2f} s, RTF {wall / audio_seconds:.4f}, "
                      f"peak RSS {max(peaks[precision]):.0f} MiB", flush=True)

    load_after = os.getloadavg()[0]
    core = subprocess.check_output([str(BIN / "earshot"), "--version"]).decode().strip().splitlines()[-1]
    lines = [BEGIN, "## End to end: `earshot transcribe` (real-time factor, memory)", "",
             f"- Date: {datetime.date.today()}; machine: {machine()}; {core}; 1-minute load average "
             f"{load_before:.2f} before, {load_after:.2f} after",
             "- Model: reference architecture (240 inputs, 3 BiLSTM layers × 256 per direction, 29 outputs), untrained "
             "weights; default decoding (beam search, beam 32, no LM); espeak-ng speech at 16 kHz repeated to 1 and "
             "60 minutes",
             "- Real-time factor = wall time of the whole command (start-up, model load, reading, features, network, "
             "decoding, output) / audio duration; peak RSS from getrusage",
             "- Reproduce: `Scripts/bench/transcribe.sh --write`", "",
             "| audio | threads | LSTM weights | wall s | real-time factor | peak RSS MiB |",
             "| --- | ---: | --- | ---: | ---: | ---: |"]
    lines += [f"| {a} | {t} | {p} | {w:.2f} | {r:.4f} | {m:.0f} |" for a, t, p, w, r, m in rows]
    lines += [END]
    block = "\n".join(lines)
    print(block)
    if args.write:
        write_block(block, BEGIN, END)


if __name__ == "__main__":
    main()
