"""The plan: every clip the corpus may hold, in order, as a job (what is read or converted, by which voice with
which parameters, which augmentation) whose hash names its file. Each random stream has its own generator,
seeded with --seed and a fixed name, so the plan depends only on the seed, the options and the text; a larger
size only appends jobs (the plan for --hours 4 is a prefix of the plan for --hours 8).
"""

import hashlib
import json
import os
import random
import re
from collections import namedtuple

import text_normalizer
from asterisk import asterisk_name, real_dest, transcripts
from draws import (SYNTH_AUG_WEIGHTS, draw_aug, draw_heldout_new_voice, draw_heldout_sentence_voice,
                   draw_neural_voice, draw_shifted_voice, draw_train_voice, draw_voice_params, draw_world)
from voices import HELDOUT_VOICE_LIST, voice_tag

# 2: + higher-voiced renderings (voices.SHIFTED_VOICE_WEIGHTS), + --real-copies;
# 3: + neural voices on general text, real words, three more held-out sets
RECIPE_VERSION = 3
JOB_SPEC_VERSION = 1             # part of every clip's id: clips of version 1 recipes are reused as they are
# Real speakers besides Allison: ktuberling's English words and klettres' English letters and syllables
# train; klettres' British English speaker is held out (heldout_real.jsonl).
KTUBERLING_THEME = "/usr/share/ktuberling/sounds/en.soundtheme"
KLETTRES_TRAIN = "/usr/share/klettres/en/sounds.xml"
KLETTRES_HELDOUT = "/usr/share/klettres/en_GB/sounds.xml"

# The jobs of each set (the plan), or the clips made of them (build_corpus.make_clips), in the order of
# clips.jsonl.
ClipSets = namedtuple("ClipSets", "train shifted valid heldout real_aug real_words heldout_real neural neural_valid "
                                  "heldout_new heldout_sentences")


def make_plan(args, sizes, sentences, asterisk):
    """The plan of every set. `args`: the options; `sizes`: the seconds of each set; `sentences`: the
    Sentences of sentence_splits.py; `asterisk`: the AsteriskSplit."""
    seed, buckets, domain_texts, general = args.seed, sentences.buckets, sentences.domain_texts, sentences.general
    test_texts = transcripts(asterisk.test_rows)
    # Letters that are also Asterisk test prompts ("letters/c: C.") never train: no test transcript in training.
    word_rows = [r for r in real_word_rows(KTUBERLING_THEME) + real_word_rows(KLETTRES_TRAIN) if r[1] not in test_texts]
    heldout_word_rows = real_word_rows(KLETTRES_HELDOUT)
    if sizes.real_word_rows is not None:
        word_rows, heldout_word_rows = word_rows[:sizes.real_word_rows], heldout_word_rows[:sizes.real_word_rows]
    evaluation = general["evaluation"]
    return ClipSets(
        real_aug=real_aug_jobs(seed, asterisk.train, args.real_copies),
        train=train_like_plan("train", seed, buckets["train"], domain_texts, args.domain_repeats, args.domain_share,
                              sizes.synth_train_s),
        shifted=train_like_plan("train", seed, buckets["train"], domain_texts, 1, args.domain_share,
                                sizes.shifted_train_s, stream="train-shifted", draw_voice=draw_shifted_voice),
        valid=train_like_plan("valid", seed, buckets["valid"], [], 0, 0.0, sizes.valid_s),
        heldout=heldout_plan(seed, buckets["heldout"]),
        real_words=[] if args.no_real_words else real_word_jobs(seed, word_rows, "train", args.real_word_copies),
        heldout_real=real_word_jobs(seed, heldout_word_rows, "heldout", 0),
        # Recipe 3: neural voices reading general English text (general_text.py) and the fortunes; the reserved
        # evaluation source is read only by the held-out sets.
        neural=train_like_plan("train", seed, buckets["train"] + general["train"], domain_texts, 1,
                               args.domain_share / 2, sizes.neural_s, stream="train-neural",
                               draw_voice=draw_neural_voice),
        neural_valid=train_like_plan("valid", seed, buckets["valid"] + general["valid"], [], 0, 0.0,
                                     sizes.neural_valid_s, stream="valid-neural", draw_voice=draw_neural_voice),
        heldout_new=evaluation_plan(seed, "heldout-new", evaluation[0::2], draw_heldout_new_voice),
        heldout_sentences=evaluation_plan(seed, "heldout-sentences", evaluation[1::2], draw_heldout_sentence_voice))


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


def evaluation_plan(seed, stream, sentences, draw_voice):
    """Clean renderings of `sentences` (shuffled by `stream`) for an evaluation set: `draw_voice(rng, i)` →
    (voice, params) of the i-th clip."""
    rng = random.Random(f"{seed}:{stream}:plan")
    items = list(sentences)
    rng.shuffle(items)
    return [synth_job("heldout", "evaluation-text", text, say, *draw_voice(rng, i), {"kind": "clean"})
            for i, (say, text) in enumerate(items)]


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


def real_aug_jobs(seed, real_train, copies):
    """`copies` augmented copies of each real training clip (noise, a level change, or a codec alone: the clips
    are telephone audio already); every copy after the first also a little higher or lower voiced."""
    jobs = []
    for k in range(copies):
        rng = random.Random(f"{seed}:real-aug" + (f"{k + 1}" if k else ""))
        for r in real_train:
            aug = draw_aug(rng, [("noise", 0.6), ("gain", 0.2), ("tel", 0.2)])
            if "tel" in aug["kind"]:
                aug.update(band=False, rate=8000)    # already telephone audio: the codec alone
                if aug["codec"] == "none":
                    aug["codec"] = "gsm"
            src = real_dest("train", r)
            if k:
                aug["shift"] = rng.choice([-1, 1]) * rng.randint(100, 300)
            jid = job_id({"v": JOB_SPEC_VERSION, "from": src, "aug": aug})
            name = asterisk_name(r["package_path"])
            jobs.append({"id": jid, "source": "asterisk", "split": "train", "from": src, "aug": aug,
                         "text": r["normalized_transcript"],
                         "path": f"asterisk/train/aug/{name[:-4]}.{jid[:8]}.wav"})
    return jobs
