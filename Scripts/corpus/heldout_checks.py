"""The held-out checks: nothing of the evaluation sets (the Asterisk test split, the held-out voices, the
held-out sentences) in training or validation. The build stops, writing no manifest, if any fails.
"""

import os
import sys

from asterisk import asterisk_name, real_dest
from digests import audio_digest
from voices import HELDOUT_VOICES, KOKORO_HELDOUT_STYLE, is_heldout_voice, is_training_voice, voice_tag


def check_plan_voices(plan):
    """Exits when a training or validation set of the plan is read by a voice that is not a training voice
    (checked again on the manifests)."""
    for j in plan.train + plan.shifted + plan.valid + plan.neural + plan.neural_valid:
        if not is_training_voice(j["voice"]):
            raise SystemExit(f"HELD-OUT CHECK FAILED: voice {j['voice']} planned for {j['split']}")


def check_manifests(out, manifests, asterisk, made):
    """Exits, listing the first problems, when heldout_problems finds any in the finished manifests
    (`manifests`: name → lines; `asterisk`: the AsteriskSplit; `made`: the clips made, by set)."""
    real_files = [real_dest(s, r) for s, rows in (("train", asterisk.train), ("valid", asterisk.valid)) for r in rows]
    problems = heldout_problems(
        # heldout_real is held out by speaker: its isolated letters and words are also said by training speakers
        # (the folder check keeps its clips out of train and valid).
        manifests["train.jsonl"], manifests["valid.jsonl"],
        manifests["heldout_synthetic.jsonl"] + manifests["heldout_new.jsonl"] + manifests["heldout_sentences.jsonl"],
        plan_voices=[(j["path"], j["voice"]) for j in made.train + made.shifted + made.valid + made.neural
                     + made.neural_valid],
        heldout_voices=[(j["path"], j["voice"]) for j in made.heldout + made.heldout_new],
        valid_synthetic_texts={j["text"] for j in made.valid + made.neural_valid},
        test_rows=asterisk.test_rows,
        real_digests={p: audio_digest(os.path.join(out, p)) for p in real_files},
        test_digests={audio_digest(os.path.join(out, real_dest("test", r))) for r in asterisk.test_rows})
    if problems:
        for p in problems[:20]:
            print("HELD-OUT CHECK FAILED:", p, file=sys.stderr)
        raise SystemExit(f"{len(problems)} held-out check failures; no manifest written")


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
        for line in lines:
            p = line["audio_filepath"]
            parts = p.split("/")
            if p.startswith("asterisk/test/") or "heldout" in parts:
                problems.append(f"{manifest}: {p} is a held-out file")
            if parts[0] == "asterisk" and len(parts) > 3:
                name = "/".join(parts[3:])
                stem = name[:-4].split(".")[0]           # augmented copies: <name>.<id>.wav
                if stem + ".wav" in test_names:
                    problems.append(f"{manifest}: {p} has the name of a test prompt")
            if line["text"] in test_texts:
                problems.append(f"{manifest}: {p}: transcript of a test prompt: {line['text']!r}")
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
    train_texts = {line["text"] for line in train_lines}
    valid_texts = {line["text"] for line in valid_lines}
    for t in sorted({line["text"] for line in held_lines} & (train_texts | valid_texts)):
        problems.append(f"held-out sentence in train/valid: {t!r}")
    for t in sorted(set(valid_synthetic_texts) & train_texts):
        problems.append(f"validation sentence in train: {t!r}")
    return problems
