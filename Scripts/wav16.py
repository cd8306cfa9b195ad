"""16-bit mono WAV files, the one WAV module of the scripts: read and write the samples (a signed 16-bit `array`)
or their PCM bytes (little-endian, for numpy: `np.frombuffer(pcm, "<i2")`), and a file's format. Standard
library only (`wave`), so that any script can use it before its venv is ready. A file is written under a
temporary name and renamed: never seen half written.

    import wav16                                   # with Scripts/ on sys.path
    rate, samples = wav16.read_wav("in.wav")       # array('h')
    wav16.write_pcm("out.wav", 16000, x.astype("<i2").tobytes())
"""

import array
import os
import sys
import wave
from collections import namedtuple

# What reading a file that is not a PCM WAV raises (besides OSError and EOFError).
Error = wave.Error

WavFormat = namedtuple("WavFormat", "rate channels sample_width frames")


def wav_format(path) -> WavFormat:
    """Rate, channels, bytes per sample and frames of a PCM WAV file, from its header."""
    with wave.open(os.fspath(path), "rb") as w:
        return WavFormat(w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes())


def wav_duration(path) -> float:
    f = wav_format(path)
    return f.frames / f.rate


def wav_rate(path) -> int:
    return wav_format(path).rate


def read_pcm(path) -> tuple:
    """(rate, little-endian 16-bit PCM bytes) of a 16-bit mono WAV; ValueError for any other."""
    with wave.open(os.fspath(path), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(f"{path}: not 16-bit mono")
        return w.getframerate(), w.readframes(w.getnframes())


def read_wav(path) -> tuple:
    """(rate, samples as array('h')) of a 16-bit mono WAV."""
    rate, pcm = read_pcm(path)
    samples = array.array("h")
    samples.frombytes(pcm)
    if sys.byteorder != "little":
        samples.byteswap()
    return rate, samples


def write_pcm(path, rate: int, pcm: bytes) -> None:
    """Writes little-endian 16-bit mono PCM bytes as a WAV file (44-byte header)."""
    path = os.fspath(path)
    tmp = path + ".part"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    os.replace(tmp, path)


def write_wav(path, rate: int, samples) -> None:
    """Writes 16-bit samples (any iterable of ints in −32768…32767) as a mono WAV file."""
    data = array.array("h", samples)
    if sys.byteorder != "little":
        data.byteswap()
    write_pcm(path, rate, data.tobytes())
