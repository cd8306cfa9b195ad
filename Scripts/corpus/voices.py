"""The corpus's voices: their ids, which are held out for evaluation, and file-name tags.

A voice id is `engine:name`: `espeak:en-us+f3`, `flite:awb`, `festival:kal`, `piper:joe`, a Kokoro blend
`kokoro:jf_alpha=0.6+jm_kumo=0.4`. Held out (never in train.jsonl or valid.jsonl; checked on the plan and the
manifests): flite slt, festival us-slt-hts, and every Kokoro voice with the held-out style in it.
"""

# Held out for evaluation: never in train.jsonl or valid.jsonl (checked on the plan and the manifests).
HELDOUT_VOICES = {"flite:slt", "festival:us-slt-hts"}
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


def voice_tag(voice):
    """A file-name-safe form of a voice id: espeak:en-us+f3 → espeak_en-us+f3; a Kokoro blend by its styles
    alone (kokoro:jf_alpha=0.6+jm_kumo=0.4 → kokoro_jf_alpha+jm_kumo)."""
    if voice.startswith("kokoro:"):
        return "kokoro_" + "+".join(sorted(s.split("=")[0] for s in voice.split(":", 1)[1].split("+")))
    return voice.replace(":", "_")
