"""The manifests: NeMo JSON lines {"audio_filepath" (relative to the output folder), "duration", "text"} of each
set, and clips.jsonl, how every generated clip was made. Written under a temporary name and renamed.
"""

import json
import os

from asterisk import real_dest
from digests import sha256_file
from wav16 import wav_duration


def manifest_lines(out, asterisk, made):
    """({manifest name: lines}, origin) of the finished clips: `asterisk` the AsteriskSplit, `made` the clips made
    by set; origin maps the real clips' paths to their source label (stats.json). Train holds the Asterisk
    train clips (8 and 16 kHz), their augmented copies, then the synthetic, real-word and neural clips."""
    def line(path, text, duration=None):
        d = duration if duration is not None else wav_duration(os.path.join(out, path))
        return {"audio_filepath": path, "duration": round(d, 4), "text": text}

    def lines(jobs):
        return [line(j["path"], j["text"], j["duration"]) for j in jobs]

    origin = {}
    real = {}
    for split, rows in (("train", asterisk.train), ("valid", asterisk.valid)):
        real[split] = []
        for r in rows:
            for rate in ("8k", "16k"):
                p = real_dest(split, r, rate)
                real[split].append(line(p, r["normalized_transcript"]))
                origin[p] = f"asterisk-{rate}"
    for j in made.real_aug:
        origin[j["path"]] = "asterisk-augmented"
    manifests = {
        "train.jsonl": real["train"] + lines(made.real_aug + made.train + made.shifted + made.real_words
                                             + made.neural),
        "valid.jsonl": real["valid"] + lines(made.valid + made.neural_valid),
        "heldout_synthetic.jsonl": lines(made.heldout),
        "asterisk_test.jsonl": [line(real_dest("test", r), r["normalized_transcript"]) for r in asterisk.test],
        "heldout_new.jsonl": lines(made.heldout_new),
        "heldout_sentences.jsonl": lines(made.heldout_sentences),
        "heldout_real.jsonl": lines(made.heldout_real),
    }
    return manifests, origin


def write_manifests(out, manifests):
    """Writes every manifest; returns {name: SHA-256}."""
    return {name: write_jsonl(os.path.join(out, name), lines) for name, lines in manifests.items()}


def write_clips_manifest(out, made):
    """clips.jsonl: how every generated clip was made (voice, its parameters, what it read, augmentation), for
    audits; `made` the clips by set."""
    write_jsonl(os.path.join(out, "clips.jsonl"), [
        {k: j[k] for k in ("path", "split", "source", "origin", "voice", "params", "say", "from", "aug", "text",
                           "duration") if k in j}
        for jobs in made for j in jobs])


def write_jsonl(path, rows):
    """Writes one JSON object a line (ASCII); returns the file's SHA-256."""
    with open(path + ".part", "w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=True) + "\n")
    os.replace(path + ".part", path)
    return sha256_file(path)
