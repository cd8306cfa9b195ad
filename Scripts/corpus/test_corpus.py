"""Tests of the corpus recipe's text rules and held-out checks: python3 -m unittest -v (in this folder).
Standard library only; needs no synthesizer and no audio."""

import csv
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_corpus  # noqa: E402
import corpus_text  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "Tests", "EarshotDecodingTests", "Fixtures")


def rows(name):
    with open(os.path.join(FIXTURES, name), newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


class TextRules(unittest.TestCase):
    def test_matches_project_normalisation_on_asterisk_transcripts(self):
        """Every Asterisk transcript the filter keeps is normalised exactly as in the TSVs' own column
        (made by the project's normaliser), except the two raw lines with spelling mistakes."""
        spelling_fixes = {"thru", "represenatives", "umute", "fourtieth", "exclaimation", "witheld"}
        kept = 0
        for name in ("asterisk_train.tsv", "asterisk_test.tsv"):
            for r in rows(name):
                raw = r["raw_transcript"]
                if not corpus_text.keep_sentence(raw):
                    continue
                kept += 1
                if any(w in raw.lower() for w in spelling_fixes):
                    continue
                self.assertEqual(corpus_text.normalize(raw), r["normalized_transcript"], raw)
        self.assertGreater(kept, 150)

    def test_filter(self):
        keep = corpus_text.keep_sentence
        self.assertTrue(keep("It's a well-known fact, isn't it?"))
        self.assertTrue(keep("I said no."))
        for bad in ["Call 555 now please.", "The PBX is down today.", "Ask Mr. Smith about it.",
                    "See e.g. this one here.", "Henry V was king.", "We met at St Paul today.",
                    "It costs $5 or so.", "Read this (quietly) now.", "Two words", "'Tis the season, folks.",
                    "Mix PCs and Macs now.", "Use and/or here please.", "Hmm, I wonder why."]:
            self.assertFalse(keep(bad), bad)

    def test_normalize(self):
        n = corpus_text.normalize
        self.assertEqual(n("Don't panic -- it's only a well-known 'test'!"), "don't panic it's only a well known test")
        self.assertEqual(n("Rock'n'roll, y'know..."), "rock'n'roll y'know")

    def test_split_is_fixed_by_text(self):
        self.assertEqual(corpus_text.text_bucket("hello there world"), corpus_text.text_bucket("hello there world"))
        buckets = [corpus_text.text_bucket(f"sentence number {i}") for i in range(2000)]
        self.assertAlmostEqual(sum(b < 0.05 for b in buckets) / 2000, 0.05, delta=0.02)


class HeldOutChecks(unittest.TestCase):
    def setUp(self):
        self.test_rows = rows("asterisk_test.tsv")
        self.train_rows = rows("asterisk_train.tsv")
        self.good_train = [
            {"audio_filepath": "asterisk/train/8k/" + build_corpus.asterisk_name(self.train_rows[0]["package_path"]),
             "duration": 1.0, "text": self.train_rows[0]["normalized_transcript"]},
            {"audio_filepath": "synthetic/train/flite_awb/0123456789abcdef.wav", "duration": 2.0,
             "text": "a sentence for training"},
        ]
        self.valid = [{"audio_filepath": "synthetic/valid/espeak_en-us+f3/1.wav", "duration": 2.0,
                       "text": "a sentence for validation"}]
        self.held = [{"audio_filepath": "synthetic/heldout/flite_slt/2.wav", "duration": 2.0,
                      "text": "a held out sentence"}]

    def problems(self, train=None, valid=None, held=None, plan_voices=(("x", "flite:awb"),),
                 heldout_voices=(("y", "flite:slt"),), real_digests=None):
        return build_corpus.heldout_problems(
            train if train is not None else self.good_train, valid if valid is not None else self.valid,
            held if held is not None else self.held, list(plan_voices), list(heldout_voices),
            {l["text"] for l in (valid if valid is not None else self.valid)}, self.test_rows,
            real_digests or {"asterisk/train/8k/a.wav": "d1"}, {"t1", "t2"})

    def test_clean_corpus_passes(self):
        self.assertEqual(self.problems(), [])

    def test_test_clip_fails(self):
        t = self.test_rows[0]
        name = build_corpus.asterisk_name(t["package_path"])
        for path in ["asterisk/test/8k/" + name, "asterisk/train/8k/" + name,
                     "asterisk/train/aug/" + name[:-4] + ".abcdef12.wav"]:
            bad = self.good_train + [{"audio_filepath": path, "duration": 1.0, "text": "other words"}]
            self.assertTrue(self.problems(train=bad), path)
        bad = self.good_train + [{"audio_filepath": "synthetic/train/flite_awb/9.wav", "duration": 1.0,
                                  "text": t["normalized_transcript"]}]
        self.assertTrue(self.problems(train=bad))
        self.assertTrue(self.problems(real_digests={"asterisk/train/8k/a.wav": "t2"}))
        self.assertTrue(self.problems(valid=self.valid + [{"audio_filepath": "asterisk/test/8k/" + name,
                                                           "duration": 1.0, "text": "x y z"}]))

    def test_heldout_voice_fails(self):
        for tag in ("flite_slt", "festival_us-slt-hts"):
            bad = self.good_train + [{"audio_filepath": f"synthetic/train/{tag}/3.wav", "duration": 1.0,
                                      "text": "some other words"}]
            self.assertTrue(self.problems(train=bad), tag)
        self.assertTrue(self.problems(plan_voices=[("x", "festival:us-slt-hts")]))
        self.assertTrue(self.problems(heldout_voices=[("y", "flite:awb")]))

    def test_heldout_sentence_fails(self):
        bad = self.good_train + [{"audio_filepath": "synthetic/train/flite_awb/4.wav", "duration": 1.0,
                                  "text": "a held out sentence"}]
        self.assertTrue(self.problems(train=bad))
        bad = self.good_train + [{"audio_filepath": "synthetic/train/flite_awb/5.wav", "duration": 1.0,
                                  "text": "a sentence for validation"}]
        self.assertTrue(self.problems(train=bad))


if __name__ == "__main__":
    unittest.main()
