#!/usr/bin/env python3
"""Writes WAV clips to standard output as raw PCM at real-time pace, for as long as asked.

The clips (16-bit WAVs, any rate, mono or mixed down) are converted to mono signed 16-bit little-endian at
--rate Hz (linear interpolation), joined with --gap seconds of silence after each, and repeated in order
until --seconds of audio have been written; with --wav, after a WAV header that says "length unknown".
Audio goes out in blocks of --block-ms milliseconds, each no earlier than its time since the start, so a
reader sees a live source (a microphone) rather than a file. Ends quietly when the reader goes away.

    python3 Scripts/faults/pace_audio.py --seconds 600 Audio/*.wav | earshot stream --format raw
"""

import argparse
import array
import struct
import sys
import time
import wave


def read_mono(path, rate):
    """The samples of the 16-bit WAV at path as one channel at rate Hz (an array of signed 16-bit)."""
    with wave.open(path, "rb") as clip:
        if clip.getsampwidth() != 2:
            sys.exit(f"pace_audio.py: {path}: only 16-bit WAVs are supported")
        channels, source_rate = clip.getnchannels(), clip.getframerate()
        frames = array.array("h", clip.readframes(clip.getnframes()))
    if sys.byteorder != "little":
        frames.byteswap()
    mono = [sum(frames[i:i + channels]) / channels for i in range(0, len(frames), channels)]
    if source_rate == rate:
        return array.array("h", (int(x) for x in mono))
    count = len(mono) * rate // source_rate
    out = array.array("h")
    for n in range(count):
        position = n * source_rate / rate
        i = int(position)
        frac = position - i
        after = mono[i + 1] if i + 1 < len(mono) else mono[i]
        out.append(int(round(mono[i] * (1 - frac) + after * frac)))
    return out


def streaming_wav_header(rate):
    """A 16-bit mono RIFF WAVE header at rate Hz whose RIFF and data sizes are 0xFFFFFFFF ('length unknown')."""
    fmt = struct.pack("<HHIIHH", 1, 1, rate, 2 * rate, 2, 16)
    return (b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"data" + struct.pack("<I", 0xFFFFFFFF))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("clips", nargs="+", help="16-bit WAV files, played in order and repeated")
    parser.add_argument("--seconds", type=float, required=True, help="audio to write, in seconds")
    parser.add_argument("--rate", type=int, default=16000, help="output sample rate in Hz (default 16000)")
    parser.add_argument("--gap", type=float, default=1.0, help="silence after each clip, in seconds (default 1)")
    parser.add_argument("--block-ms", type=int, default=20, help="block length in milliseconds (default 20)")
    parser.add_argument("--wav", action="store_true",
                        help="start with a WAV header whose sizes say 'length unknown', as streaming writers do")
    args = parser.parse_args()

    silence = array.array("h", bytes(2 * int(args.gap * args.rate)))
    loop = array.array("h")
    for path in args.clips:
        loop += read_mono(path, args.rate) + silence
    data = loop.tobytes() if sys.byteorder == "little" else None
    if data is None:
        swapped = array.array("h", loop)
        swapped.byteswap()
        data = swapped.tobytes()

    block = 2 * args.rate * args.block_ms // 1000
    total = 2 * int(args.seconds * args.rate)
    out = sys.stdout.buffer
    start = time.monotonic()
    written = 0
    try:
        if args.wav:
            out.write(streaming_wav_header(args.rate))
        while written < total:
            offset = written % len(data)
            piece = data[offset:offset + min(block, total - written, len(data) - offset)]
            due = start + written / (2 * args.rate)
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            out.write(piece)
            out.flush()
            written += len(piece)
    except BrokenPipeError:
        sys.stderr.close()  # nothing to report: the reader ended the stream
        return


if __name__ == "__main__":
    main()
