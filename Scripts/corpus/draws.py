"""The plan's random draws: a voice and its parameters, a WORLD speaker change, an augmentation. Each takes the
seeded generator of its stream (plan.py), so the same seed draws the same corpus.
"""

from augmentation import NOISE_COLOURS
from voices import (ESPEAK_ACCENTS, ESPEAK_VARIANTS, KOKORO_HELDOUT_STYLE, KOKORO_TRAIN_STYLES,
                    NEURAL_VOICE_WEIGHTS, SHIFT_CENTS, SHIFTED_VOICE_WEIGHTS, TRAIN_VOICE_WEIGHTS, WORLD_SPEAKERS)

# Augmentation of the synthetic clips: each rendering gets exactly one of these.
SYNTH_AUG_WEIGHTS = [("clean", 0.35), ("noise", 0.20), ("gain", 0.10), ("tel", 0.20), ("noise+tel", 0.15)]


def weighted(rng, pairs):
    x = rng.random() * sum(w for _, w in pairs)
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


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
        codecs = [("none", 0.3), ("ulaw", 0.25), ("alaw", 0.15), ("gsm", 0.3)]
        aug.update(band=rng.random() < 0.7, codec=weighted(rng, codecs), rate=rng.choice([8000, 16000]))
    return aug


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
