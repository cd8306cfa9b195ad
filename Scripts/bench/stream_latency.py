#!/usr/bin/env python3
"""`earshot stream` measured as a live recognizer: word latency at real-time pace, the accuracy cost of
latency-controlled decoding, and throughput.

    Scripts/bench/stream_latency.sh --model M [--clips 40] [--default NC NR] [--settings 20/10 …] [--precision P]
                                    [--write]

- Latency, per (Nc, Nr) setting: each clip of the set (default: the asterisk test prompts, 8 kHz resampled to
  16 kHz s16le by sox) is written into `earshot stream --json` through a pipe in 100 ms pieces at real-time pace,
  and every JSON line is timestamped as it arrives. For each word of the final transcript, latency = the time
  the word first appears in an output line (a partial or the final with that word at about the same start time)
  minus the time the piece holding the word's last sample (its end time in the final) was written. Median and
  95th percentile over all words.
- Accuracy cost: WER/CER of the streaming finals (joined per clip) against the references, next to `earshot
  eval` of the same model on the same clips (whole-file decoding), for a few (chunk, look-ahead) settings.
- Throughput: the clips back to back through one stream pinned to one core (taskset), as fast as the pipe
  takes them; real-time factor and the number of concurrent real-time streams one core sustains (1 / RTF).
Standard library and sox only; WER/CER by the edit distance below (corpus level, as jiwer).
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import REPO, machine, run_measured, write_block  # noqa: E402

BIN = REPO / ".build" / "release" / "earshot"
BEGIN, END = "<!-- stream:begin -->", "<!-- stream:end -->"
RATE, PIECE = 16000, 1600  # 100 ms pieces of 16-bit samples


def edits(reference, hypothesis):
    previous = list(range(len(hypothesis) + 1))
    for i, r in enumerate(reference, 1):
        current = [i]
        for j, h in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1]


def error_rates(pairs):
    words = sum(edits(r.split(), h.split()) for r, h in pairs) / max(1, sum(len(r.split()) for r, _ in pairs))
    chars = sum(edits(r, h) for r, h in pairs) / max(1, sum(len(r) for r, _ in pairs))
    return words, chars


def stream_clip(raw: bytes, model: str, extra, paced: bool):
    """Streams one clip; returns (events with arrival times, write time of each piece, wall seconds)."""
    command = [str(BIN), "stream", "--json", "--format", "raw", "--rate", str(RATE), "--model", model, *extra]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    events, written = [], []
    start = time.monotonic()

    def reader():
        for line in process.stdout:
            events.append((time.monotonic(), json.loads(line)))

    thread = threading.Thread(target=reader)
    thread.start()
    for offset in range(0, len(raw), 2 * PIECE):
        if paced:
            target = start + offset / (2 * RATE)
            delay = target - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        process.stdin.write(raw[offset:offset + 2 * PIECE])
        process.stdin.flush()
        written.append(time.monotonic())
    process.stdin.close()
    thread.join()
    process.wait()
    return events, written, time.monotonic() - start


def run_fast(command, data, repeat):
    """Runs `command` with `data` written `repeat` times on stdin as fast as it reads; returns (audio s,
    wall s, peak RSS MiB)."""
    wall, peak, _ = run_measured(command, stdin_data=data, repeat=repeat)
    return repeat * len(data) / (2 * RATE), wall, peak


def percentile(values, q):
    """The q-quantile (nearest rank below), NaN for no values."""
    return sorted(values)[int(q * (len(values) - 1))] if values else float("nan")


def latencies(events, written):
    """Per final word: first appearance time − write time of the piece with its last sample."""
    result = []
    for _, event in events:
        if event["type"] != "final":
            continue
        for word in event["words"]:
            piece = min(int(word["end"] * RATE) // PIECE, len(written) - 1)
            seen = next((t for t, e in events if any(
                w["text"] == word["text"] and abs(w["start"] - word["start"]) < 0.15 for w in e["words"])), None)
            if seen is not None:
                result.append(seen - written[piece])
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    corpus = Path(os.environ.get("EARSHOT_CORPUS", Path.home() / ".cache/earshot/corpus"))
    parser.add_argument("--manifest", default=str(corpus / "asterisk_test.jsonl"))
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--default", type=int, nargs=2, default=[8, 8], metavar=("NC", "NR"),
                        help="the stream command's default chunking (latency headline and throughput)")
    parser.add_argument("--settings", nargs="*", default=["20/10", "10/10", "10/5", "4/10"],
                        help="further Nc/Nr settings to measure")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the clips for the throughput run")
    parser.add_argument("--precision", choices=["f32", "int8"],
                        help="LSTM weight precision for every earshot command (default: earshot's own default)")
    args = parser.parse_args()
    precision = ["--precision", args.precision] if args.precision else []
    manifest = Path(args.manifest)
    entries = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()][:args.clips]
    work = Path(tempfile.mkdtemp(prefix="earshot-stream-"))
    clips = []
    for i, entry in enumerate(entries):
        audio = manifest.parent / entry["audio_filepath"]
        raw = work / f"{i}.raw"
        subprocess.check_call(["sox", str(audio), "-t", "raw", "-r", str(RATE), "-e", "signed", "-b", "16", "-c", "1",
                               str(raw)], stderr=subprocess.DEVNULL)
        clips.append((raw.read_bytes(), entry["text"]))
    audio_seconds = sum(len(raw) / (2 * RATE) for raw, _ in clips)

    whole = subprocess.run([str(BIN), "eval", str(manifest), "--model", args.model, "--json", *precision],
                           capture_output=True, text=True)
    per_clip = [json.loads(line) for line in whole.stdout.splitlines()][:args.clips]
    whole_wer, whole_cer = error_rates([(c["reference"], c["hypothesis"]) for c in per_clip])

    default = tuple(args.default)
    asked = [tuple(map(int, s.split("/"))) for s in args.settings]
    settings = [default] + [s for s in asked if s != default]
    rows = []
    for chunk, lookahead in settings:
        extra = ["--chunk-steps", str(chunk), "--lookahead-steps", str(lookahead), *precision]
        word_latencies, pairs = [], []
        for raw, reference in clips:
            events, written, _ = stream_clip(raw, args.model, extra, paced=True)
            finals = " ".join(e["text"] for _, e in events if e["type"] == "final")
            pairs.append((reference, finals))
            word_latencies += latencies(events, written)
        wer, cer = error_rates(pairs)
        rows.append((chunk, lookahead, wer, cer, word_latencies))
        print(f"Nc={chunk} Nr={lookahead}: WER {wer:.2%} CER {cer:.2%}, latency median "
              f"{1000 * percentile(word_latencies, 0.5):.0f} ms p95 {1000 * percentile(word_latencies, 0.95):.0f} ms",
              flush=True)

    # Throughput on one core: every clip back to back (with 0.5 s of silence between them) through one
    # `earshot stream` pinned to CPU 0, as fast as the pipe takes it; start-up excluded by the length. Then the
    # same for an hour of input, for the peak memory (it must not grow with the length of the stream).
    joined = b"".join(raw + bytes(RATE) for raw, _ in clips)
    command = ["taskset", "-c", "0", str(BIN), "stream", "--json", "--format", "raw", "--rate", str(RATE),
               "--model", args.model, "--chunk-steps", str(default[0]), "--lookahead-steps", str(default[1]),
               *precision]
    short_seconds, short_wall, short_rss = run_fast(command, joined, args.repeat)
    rtf = short_wall / short_seconds
    hour_seconds, hour_wall, hour_rss = run_fast(command, joined, max(1, round(3600 / (len(joined) / (2 * RATE)))))

    latency = rows[0][4]
    median, p95 = percentile(latency, 0.5), percentile(latency, 0.95)
    core = subprocess.check_output([str(BIN), "--version"]).decode().strip().splitlines()[-1]
    lines = [BEGIN, "## Streaming: `earshot stream` latency, accuracy cost, throughput", "",
             f"- Date: {datetime.date.today()}; machine: {machine()}; {core}; model {Path(args.model).name}"
             + (f", LSTM weights {args.precision}" if args.precision else ""),
             f"- {len(clips)} clips of {manifest.name} ({audio_seconds:.0f} s), 16 kHz s16le through a pipe in 100 ms "
             "pieces at real-time pace, each clip its own `earshot stream --json` (default decoding: beam search, and "
             "the model's language model when it has one), 30 ms model steps",
             "- Reproduce: `Scripts/bench/stream_latency.sh --model MODEL --write`", "",
             f"Word latency (last sample written → word on stdout, in a partial or the final) at the default "
             f"Nc {default[0]} / Nr {default[1]}, {len(latency)} words: **median {1000 * median:.0f} ms, p95 "
             f"{1000 * p95:.0f} ms**", "",
             "| decoding | WER % | CER % | WER vs whole file | latency median ms | p95 ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: |",
             f"| whole file (`earshot eval`) | {100 * whole_wer:.2f} | {100 * whole_cer:.2f} | — | — | — |"]
    for chunk, lookahead, wer, cer, lat in rows:
        relative = (wer - whole_wer) / whole_wer if whole_wer else float("nan")
        lines.append(f"| stream Nc={chunk} Nr={lookahead}{' (default)' if (chunk, lookahead) == default else ''} | "
                     f"{100 * wer:.2f} | {100 * cer:.2f} | {100 * relative:+.1f} % "
                     f"| {1000 * percentile(lat, 0.5):.0f} | {1000 * percentile(lat, 0.95):.0f} |")
    lines += ["", f"Throughput: {short_seconds:.0f} s of the clips back to back through one `earshot stream` pinned "
              f"to one core (`taskset -c 0`), as fast as it reads: real-time factor {rtf:.4f} → about "
              f"{int(1 / rtf)} concurrent real-time streams per core.", "",
              f"Memory: peak RSS {short_rss:.0f} MiB for {short_seconds / 60:.1f} min of input, {hour_rss:.0f} MiB for "
              f"{hour_seconds / 60:.0f} min (real-time factor {hour_wall / hour_seconds:.4f}).", END]
    block = "\n".join(lines)
    print(block)
    if args.write:
        write_block(block, BEGIN, END)


if __name__ == "__main__":
    main()
