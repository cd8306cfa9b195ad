"""16-bit mono WAV files for the corpus recipe: read and write samples, duration and rate. Standard library only
(`array` of signed 16-bit samples in native byte order); written to a temporary name and renamed."""

import array
import os
import sys
import wave


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(f"{path}: not 16-bit mono")
        rate = w.getframerate()
        data = array.array("h")
        data.frombytes(w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        data.byteswap()
    return rate, data


def write_wav(path, rate, samples):
    data = array.array("h", samples)
    if sys.byteorder != "little":
        data.byteswap()
    tmp = path + ".part"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    os.replace(tmp, path)


def wav_duration(path):
    with wave.open(path, "rb") as w:
        return w.getnframes() / w.getframerate()


def wav_rate(path):
    with wave.open(path, "rb") as w:
        return w.getframerate()
