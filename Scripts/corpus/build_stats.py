"""stats.json: hours and clips per manifest, and of train/valid/held-out per source, voice and augmentation; the
text counts; what this run made and how long each stage took; package versions; the manifests' SHA-256.
"""

import json
import os
import subprocess

import general_text
from plan import RECIPE_VERSION
from voices import KOKORO_HELDOUT_STYLE

DEBIAN_PACKAGES = ["espeak-ng", "espeak-ng-data", "flite", "festival", "festvox-kallpc16k", "festvox-kdlpc16k",
                   "festvox-us-slt-hts", "fortunes", "fortunes-min", "sox", "ktuberling-data", "klettres-data"]


class ClipLabels:
    """The labels stats.json groups a manifest line by, from the job that made its clip (`made`: the clips by
    set) or, for the real clips, `origin` (path → label)."""

    def __init__(self, made, origin):
        self.jobs_by_path = {j["path"]: j for jobs in made for j in jobs}
        self.origin = origin

    def source(self, line):
        p = line["audio_filepath"]
        if p in self.origin:
            return self.origin[p]
        j = self.jobs_by_path[p]
        if j["source"] == "real-words":
            return f"real-{j['voice']}"
        return f"synthetic-{j['voice'].split(':')[0]}-{j['origin']}" + ("-shifted" if "shift" in j["params"] else "")

    def voice(self, line):
        j = self.jobs_by_path.get(line["audio_filepath"])
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

    def augmentation(self, line):
        j = self.jobs_by_path.get(line["audio_filepath"])
        if j is None:
            return self.origin[line["audio_filepath"]]
        a = j["aug"]
        telephone = f"-{a['rate'] // 1000}k-{a['codec']}" if "tel" in a["kind"] else ""
        return ("asterisk-" if j["source"] == "asterisk" else "") + a["kind"] + telephone


def summary(lines, key):
    """{label: {"clips", "hours"}} of the lines grouped by `key(line)`, sorted by label."""
    groups = {}
    for line in lines:
        g = groups.setdefault(key(line), {"clips": 0, "hours": 0.0})
        g["clips"] += 1
        g["hours"] += line["duration"] / 3600
    return {k: {"clips": v["clips"], "hours": round(v["hours"], 4)} for k, v in sorted(groups.items())}


def total(lines):
    return {"clips": len(lines), "hours": round(sum(line["duration"] for line in lines) / 3600, 4),
            "longest_seconds": max((line["duration"] for line in lines), default=0)}


def options(args):
    """The options that shape the corpus."""
    return {"hours": args.hours, "small": args.small, "seed": args.seed, "jobs": args.jobs,
            "valid_fraction": args.valid_fraction, "heldout_minutes": args.heldout_minutes,
            "domain_repeats": args.domain_repeats, "domain_share": args.domain_share,
            "real_augment": args.real_copies > 0, "shifted_hours": args.shifted_hours,
            "real_copies": args.real_copies, "neural_hours": args.neural_hours,
            "heldout_new_minutes": args.heldout_new_minutes,
            "heldout_sentences_minutes": args.heldout_sentences_minutes,
            "real_word_copies": args.real_word_copies, "real_words": not args.no_real_words}


def general_text_packages():
    return {p for meta in general_text.sources().values() for p in meta.get("packages", [meta.get("package")]) if p}


def package_versions(neural):
    """{package: installed version or None} of the Debian packages the recipe reads, and with `neural` the
    neural voices' PyPI packages."""
    res = {}
    for pkg in DEBIAN_PACKAGES + sorted(general_text_packages()):
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
        res[pkg] = r.stdout.decode() if r.returncode == 0 else None
    if neural:
        import neural_voices
        res.update({f"pypi:{k}": v for k, v in neural_voices.package_versions().items()})
    return res


def disk_bytes(folder):
    size = 0
    for root, _, files in os.walk(folder):
        size += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return size


def corpus_stats(out, args, sizes, asterisk, sentences, maker, manifests, origin, made, digests, build_log):
    """The statistics of the build in `out`: its options and sizes, the AsteriskSplit, the Sentences read, the
    ClipMaker, the manifests (name → lines) with their SHA-256 (`digests`), the real clips' labels (`origin`) and
    the clips made by set, the BuildLog's times."""
    labels = ClipLabels(made, origin)
    held_lines = manifests["heldout_synthetic.jsonl"]
    return {
        "recipe_version": RECIPE_VERSION,
        "options": options(args),
        "manifests": {name: total(lines) for name, lines in manifests.items()},
        "train_by_source": summary(manifests["train.jsonl"], labels.source),
        "train_by_voice": summary(manifests["train.jsonl"], labels.voice),
        "train_by_augmentation": summary(manifests["train.jsonl"], labels.augmentation),
        "valid_by_source": summary(manifests["valid.jsonl"], labels.source),
        "heldout_by_voice": summary(held_lines + manifests["heldout_new.jsonl"] + manifests["heldout_real.jsonl"],
                                    labels.voice),
        "heldout_sentences_by_voice": summary(manifests["heldout_sentences.jsonl"], labels.voice),
        "general_text": sentences.general["counts"],
        "text": {"fortune_sentences": sentences.fortune_count, "distinct": sentences.distinct,
                 "train_sentences": len(sentences.buckets["train"]),
                 "valid_sentences": len(sentences.buckets["valid"]),
                 "heldout_sentences": len(sentences.buckets["heldout"]),
                 "dropped_as_test_transcripts": len(sentences.excluded_test),
                 "asterisk_transcripts_synthesized": len(sentences.domain_texts)},
        "asterisk_rows_left_out": asterisk.left_out,
        "failed_clips": len(maker.failures),
        "clips_made_by_this_run": maker.made_now,
        "manifest_sha256": digests,
        "packages": {"asterisk": asterisk.packages, "installed": package_versions(sizes.neural_s > 0)},
        "disk_bytes": disk_bytes(out),
        "build_seconds": build_log.elapsed(),
        "stage_seconds": build_log.stage_seconds,
    }


def write_stats(out, stats):
    with open(os.path.join(out, "stats.json.part"), "w") as f:
        json.dump(stats, f, indent=1)
    os.replace(os.path.join(out, "stats.json.part"), os.path.join(out, "stats.json"))
