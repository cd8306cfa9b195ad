"""Augmentation of a clean 16-bit mono clip (one per rendering, drawn in draws.py): noise from seeded sox beds
at an SNR measured on the voiced frames, a level change, a telephone channel (band-pass, codec, 8 kHz), and the
sox pitch shift of the higher-voiced renderings.
"""

import math
import os
import shutil

from commands import sox
from wav16 import read_wav, wav_rate, write_wav

NOISE_COLOURS = ["white", "pink", "brown"]
NOISE_BED_SECONDS = 120


def make_noise_beds(noise_dir):
    """The noise beds, NOISE_BED_SECONDS of each colour at 8 and 16 kHz (sox, seeded by -R); made once."""
    os.makedirs(noise_dir, exist_ok=True)
    for colour in NOISE_COLOURS:
        for rate in (8000, 16000):
            p = os.path.join(noise_dir, f"{colour}_{rate}.wav")
            if not os.path.exists(p):
                sox("-n", "-r", str(rate), "-c", "1", "-b", "16", "-e", "signed-integer", p + ".part.wav",
                    "synth", str(NOISE_BED_SECONDS), f"{colour}noise", "gain", "-n", "-6")
                os.replace(p + ".part.wav", p)


def active_rms(samples, rate):
    """RMS over the 20 ms frames within 30 dB of the loudest one (speech level without the pauses)."""
    n = max(1, rate // 50)
    energies = []
    for i in range(0, max(1, len(samples) - n + 1), n):
        frame = samples[i:i + n]
        energies.append(sum(x * x for x in frame) / max(1, len(frame)))
    top = max(energies) if energies else 0.0
    if top <= 0:
        return 0.0
    kept = [e for e in energies if e >= top * 1e-3]
    return math.sqrt(sum(kept) / len(kept))


def clip16(values):
    """Rounds to int16, scaling the whole clip down when a sample would clip (no distortion)."""
    peak = max((abs(v) for v in values), default=0.0)
    scale = 32767.0 / peak if peak > 32767.0 else 1.0
    return [int(round(v * scale)) for v in values]


def mix_noise(clean_path, noise_path, out_path, snr_db, offset_fraction):
    rate, speech = read_wav(clean_path)
    nrate, noise = read_wav(noise_path)
    assert nrate == rate, (clean_path, noise_path)
    if len(noise) < len(speech):
        raise ValueError(f"noise bed shorter than {clean_path}")
    start = int(offset_fraction * (len(noise) - len(speech)))
    seg = noise[start:start + len(speech)]
    s_rms = active_rms(speech, rate)
    n_rms = math.sqrt(sum(x * x for x in seg) / max(1, len(seg))) or 1.0
    k = s_rms / (n_rms * 10 ** (snr_db / 20.0)) if s_rms > 0 else 0.0
    write_wav(out_path, rate, clip16([a + k * b for a, b in zip(speech, seg)]))


def apply_gain(in_path, out_path, peak_dbfs):
    rate, x = read_wav(in_path)
    peak = max((abs(v) for v in x), default=0) or 1
    k = 32767.0 * 10 ** (peak_dbfs / 20.0) / peak
    write_wav(out_path, rate, clip16([v * k for v in x]))


def telephone(in_path, out_path, aug, tmp):
    """Through an 8 kHz channel: optional 300–3400 Hz band-pass, optional codec (μ-law, A-law, GSM 06.10),
    stored at 8 kHz (as a caller's file arrives) or back at 16 kHz (as an upsampled 16-bit file)."""
    mid = os.path.join(tmp, "tel8.wav")
    effects = ["sinc", "300-3400"] if aug["band"] else []
    sox(in_path, "-b", "16", "-e", "signed-integer", mid, *effects, "rate", "-v", "8000")
    codec = aug["codec"]
    if codec != "none":
        coded = os.path.join(tmp, "coded.gsm" if codec == "gsm" else "coded.wav")
        if codec == "gsm":
            sox(mid, coded)
        else:
            sox(mid, "-e", "u-law" if codec == "ulaw" else "a-law", "-b", "8", coded)
        decoded = os.path.join(tmp, "decoded.wav")
        sox(coded, "-b", "16", "-e", "signed-integer", decoded)
        mid = decoded
    if aug["rate"] == 8000:
        shutil.copyfile(mid, out_path + ".part")
        os.replace(out_path + ".part", out_path)
    else:
        sox(mid, "-b", "16", "-e", "signed-integer", out_path + ".part.wav", "rate", "-v", "16000")
        os.replace(out_path + ".part.wav", out_path)


def augment(clean, final, aug, noise_dir, tmp):
    """Makes `final` from the 16-bit mono `clean` according to `aug` (kind: clean|noise|gain|tel|noise+tel;
    optional "shift" in cents first)."""
    kind = aug["kind"]
    src = clean
    if "shift" in aug:                          # cents, with sox pitch (F0 and formants together)
        shifted = os.path.join(tmp, "shifted.wav")
        sox(src, shifted, "pitch", str(aug["shift"]))
        src = shifted
    if "noise" in kind:
        rate = wav_rate(clean)
        noisy = os.path.join(tmp, "noisy.wav") if "tel" in kind else final
        mix_noise(src, os.path.join(noise_dir, f"{aug['colour']}_{rate}.wav"), noisy, aug["snr"], aug["offset"])
        src = noisy
    if kind == "gain":
        apply_gain(src, final, aug["peak_dbfs"])
    elif "tel" in kind:
        telephone(src, final, aug, tmp)
    elif kind == "clean":
        shutil.copyfile(src, final + ".part")
        os.replace(final + ".part", final)
