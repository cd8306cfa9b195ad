"""Tests of the corpus recipe's text rules, plan and held-out checks: python3 -m unittest -v (in this folder).
Standard library only; needs no synthesizer and no audio."""

import csv
import os
import re
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # corpus/ and Scripts/ (text_normalizer)
import asterisk  # noqa: E402
import corpus_text  # noqa: E402
import draws  # noqa: E402
import general_text  # noqa: E402
import heldout_checks  # noqa: E402
import plan  # noqa: E402
import text_normalizer  # noqa: E402
import voices  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "Tests", "EarshotDecodingTests", "Fixtures")


def rows(name):
    with open(os.path.join(FIXTURES, name), newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def letter_words(sentence):
    """The simple rules the filter promises on a kept sentence: its runs of letters (apostrophes inside them
    kept), lower case, one space apart."""
    return " ".join(re.findall(r"[a-z]+(?:'[a-z]+)*", sentence.lower()))


class TextRules(unittest.TestCase):
    def assert_normalizer_expands_nothing(self, sentences, at_least):
        """Every sentence the filter keeps is normalised by the simple rules alone: what a synthesizer says
        (the letters) is what the transcript writes."""
        kept = [s for s in sentences if corpus_text.keep_sentence(s)]
        self.assertGreater(len(kept), at_least)
        for sentence in kept:
            self.assertEqual(text_normalizer.normalize(sentence), letter_words(sentence), sentence)

    def test_kept_asterisk_transcripts(self):
        self.assert_normalizer_expands_nothing(
            [r["raw_transcript"] for name in ("asterisk_train.tsv", "asterisk_test.tsv") for r in rows(name)], 150)

    @unittest.skipUnless(os.path.isdir(general_text.FORTUNES_DIR), "fortunes not installed")
    def test_kept_fortune_sentences(self):
        sentences = [s for _, s in corpus_text.fortune_sentences(general_text.FORTUNES_DIR)]
        self.assert_normalizer_expands_nothing(sentences, 10000)

    def test_filter(self):
        keep = corpus_text.keep_sentence
        self.assertTrue(keep("It's a well-known fact, isn't it?"))
        self.assertTrue(keep("I said no."))
        for bad in ["Call 555 now please.", "The PBX is down today.", "Ask Mr. Smith about it.",
                    "See e.g. this one here.", "Henry V was king.", "We met at St Paul today.",
                    "It costs $5 or so.", "Read this (quietly) now.", "Two words", "'Tis the season, folks.",
                    "Mix PCs and Macs now.", "Use and/or here please.", "Hmm, I wonder why."]:
            self.assertFalse(keep(bad), bad)

    def test_split_is_fixed_by_text(self):
        self.assertEqual(corpus_text.text_bucket("hello there world"), corpus_text.text_bucket("hello there world"))
        buckets = [corpus_text.text_bucket(f"sentence number {i}") for i in range(2000)]
        self.assertAlmostEqual(sum(b < 0.05 for b in buckets) / 2000, 0.05, delta=0.02)


class HeldOutChecks(unittest.TestCase):
    def setUp(self):
        self.test_rows = rows("asterisk_test.tsv")
        self.train_rows = rows("asterisk_train.tsv")
        self.good_train = [
            {"audio_filepath": "asterisk/train/8k/" + asterisk.asterisk_name(self.train_rows[0]["package_path"]),
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
        return heldout_checks.heldout_problems(
            train if train is not None else self.good_train, valid if valid is not None else self.valid,
            held if held is not None else self.held, list(plan_voices), list(heldout_voices),
            {line["text"] for line in (valid if valid is not None else self.valid)}, self.test_rows,
            real_digests or {"asterisk/train/8k/a.wav": "d1"}, {"t1", "t2"})

    def test_clean_corpus_passes(self):
        self.assertEqual(self.problems(), [])

    def test_test_clip_fails(self):
        t = self.test_rows[0]
        name = asterisk.asterisk_name(t["package_path"])
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

    def test_neural_voices(self):
        """Kokoro blends of the training styles and Piper train; the held-out Kokoro style, alone or in any
        blend, is held out, by plan and by folder."""
        self.assertEqual(self.problems(plan_voices=[("x", "kokoro:jf_alpha=0.6+jm_kumo=0.4"),
                                                    ("x", "piper:joe")]), [])
        for voice in ("kokoro:jf_tebukuro=1.0", "kokoro:jf_alpha=0.7+jf_tebukuro=0.3", "kokoro:unknown=1.0"):
            self.assertTrue(self.problems(plan_voices=[("x", voice)]), voice)
        self.assertEqual(self.problems(heldout_voices=[("y", "kokoro:jf_nezumi=0.4+jf_tebukuro=0.6")]), [])
        self.assertTrue(self.problems(heldout_voices=[("y", "kokoro:jf_alpha=1.0")]))
        tag = voices.voice_tag("kokoro:jf_alpha=0.4+jf_tebukuro=0.6")
        self.assertEqual(tag, "kokoro_jf_alpha+jf_tebukuro")
        bad = self.good_train + [{"audio_filepath": f"synthetic/train/{tag}/6.wav", "duration": 1.0,
                                  "text": "some other words"}]
        self.assertTrue(self.problems(train=bad))

    def test_kokoro_blends_and_world_draws(self):
        import random
        rng = random.Random(3)
        for _ in range(200):
            voice = draws.draw_neural_voice(rng)[0]
            self.assertTrue(voices.is_training_voice(voice), voice)
            if voice.startswith("kokoro:"):
                weights = [float(p.split("=")[1]) for p in voice.split(":", 1)[1].split("+")]
                self.assertAlmostEqual(sum(weights), 1.0, places=6)
                self.assertTrue(all(w > 0 for w in weights), voice)
        for job in plan.evaluation_plan(1, "heldout-new", [("Say this.", "say this")] * 20,
                                        draws.draw_heldout_new_voice):
            self.assertTrue(voices.is_heldout_voice(job["voice"]), job["voice"])
            self.assertTrue(job["path"].startswith("synthetic/heldout/"))
        f0, formant = draws.draw_world(rng)
        self.assertTrue(0.7 <= f0 <= 2.1 and 0.9 <= formant <= 1.22)

    def test_real_word_labels(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            theme = os.path.join(d, "en.soundtheme")
            with open(theme, "w") as f:
                f.write('<sound name="egypt_bridge" file="en/egypt_bridge.ogg" />\n'
                        '<sound name="ball"   file="en/ball.ogg" />\n')
            self.assertEqual(plan.real_word_rows(theme), [(os.path.join(d, "en/egypt_bridge.ogg"), "bridge"),
                                                          (os.path.join(d, "en/ball.ogg"), "ball")])
            xml = os.path.join(d, "en_GB", "sounds.xml")
            os.makedirs(os.path.dirname(xml))
            with open(xml, "w") as f:
                f.write('<sound name="Y" file="en_GB/alpha/y.ogg" />\n'
                        '<sound name="ARM"   file="en_GB/syllab/arm.ogg" />\n')
            self.assertEqual(plan.real_word_rows(xml), [(os.path.join(d, "en_GB/alpha/y.ogg"), "y"),
                                                        (os.path.join(d, "en_GB/syllab/arm.ogg"), "arm")])

    def test_heldout_sentence_fails(self):
        bad = self.good_train + [{"audio_filepath": "synthetic/train/flite_awb/4.wav", "duration": 1.0,
                                  "text": "a held out sentence"}]
        self.assertTrue(self.problems(train=bad))
        bad = self.good_train + [{"audio_filepath": "synthetic/train/flite_awb/5.wav", "duration": 1.0,
                                  "text": "a sentence for validation"}]
        self.assertTrue(self.problems(train=bad))


class GeneralText(unittest.TestCase):
    def test_usable_sentences(self):
        pairs = general_text.usable(["The cat sat on the mat. The cat sat on the mat! Call 555 now please.",
                                     "wear a hat when it rains; the sun is hot",
                                     "And he said, go thy way: " + "and so on " * 10 + "for ever"])
        texts = [t for _, t in pairs]
        self.assertEqual(texts[0], "the cat sat on the mat")
        self.assertEqual(texts.count("the cat sat on the mat"), 1)             # deduplicated
        self.assertNotIn("call five five five now please", texts)               # digits refused
        self.assertIn(("Wear a hat when it rains; the sun is hot", "wear a hat when it rains the sun is hot"), pairs)
        self.assertIn("and he said go thy way", texts)                          # a long verse, clause by clause
        for say, text in pairs:
            self.assertTrue(corpus_text.keep_sentence(say))
            self.assertEqual(text_normalizer.normalize(say), text)

    def test_wordnet_parser(self):
        import gzip
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "wn.dict.dz")
            with gzip.open(path, "wt") as f:
                f.write("abeyant\n    adj 1: inactive but capable of becoming active; \"her feelings of\n"
                        "           affection are dormant but easily awakened\" [syn:\n"
                        "           {abeyant}, {dormant}]\n"
                        "abet\n    v 1: assist or encourage, usually in some wrongdoing\n")
            self.assertEqual(general_text._wordnet_raw(path),
                             ["inactive but capable of becoming active",
                              "her feelings of affection are dormant but easily awakened",
                              "assist or encourage, usually in some wrongdoing"])

    def test_split_rules(self):
        """Reserved source all held out; other sources split by text_bucket, never with a reserved or test text."""
        test_text = sorted(general_text.test_transcripts())[0]
        fake = {"reserved": [("Open the door for me.", "open the door for me")],
                "other": [("Open the door for me.", "open the door for me"), ("x", test_text)]
                + [(f"w{i}", f"sentence number {i} here") for i in range(400)]}
        saved = (general_text.EVALUATION_SOURCE, general_text._SOURCES, general_text.sentences)
        try:
            general_text.EVALUATION_SOURCE = "reserved"
            general_text._SOURCES = {"reserved": {}, "other": {}}
            general_text.sentences = lambda s: [p for p in fake[s] if p[1] not in general_text.test_transcripts()]
            self.assertEqual(general_text.split("reserved"),
                             {"train": [], "valid": [], "heldout": fake["reserved"]})
            parts = general_text.split("other")
            every = [t for v in parts.values() for _, t in v]
            self.assertNotIn("open the door for me", every)
            self.assertNotIn(test_text, every)
            self.assertEqual(len(every), 400)
            for name, pairs in parts.items():
                for _, t in pairs:
                    self.assertEqual(general_text.bucket_of(t), name)
            self.assertAlmostEqual(len(parts["train"]) / 400, 0.9, delta=0.05)
        finally:
            general_text.EVALUATION_SOURCE, general_text._SOURCES, general_text.sentences = saved

    def test_extra_fortune_files_do_not_change_base_corpus(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            for name in ("cookie", "bofh-excuses", "debian-hints", "art"):
                with open(os.path.join(d, name), "w") as f:
                    f.write(f"The {name.replace('-', ' ')} file says hello there.\n%\nAnother cookie of it here.\n")
            self.assertEqual(corpus_text.fortune_files(d), [os.path.join(d, "cookie")])
            self.assertEqual(corpus_text.fortune_sentences(d), [("cookie", "The cookie file says hello there."),
                                                                ("cookie", "Another cookie of it here.")])
            extra = corpus_text.fortune_sentences([os.path.join(d, "bofh-excuses")])
            self.assertEqual(extra[0], ("bofh-excuses", "The bofh excuses file says hello there."))

    @unittest.skipUnless(os.path.exists("/usr/share/dictd/wn.dict.dz"), "dict-wn not installed")
    def test_installed_sources_keep_test_and_reserved_text_out(self):
        test = general_text.test_transcripts()
        parts = general_text.split("wordnet")
        self.assertGreater(len(parts["train"]), 10000)
        for pairs in parts.values():
            for say, text in pairs[:2000]:
                self.assertNotIn(text, test)
                self.assertTrue(corpus_text.keep_sentence(say))
        self.assertIn(general_text.evaluation_source(), general_text.sources())
        self.assertTrue(general_text.sources()[general_text.evaluation_source()]["reserved"])


if __name__ == "__main__":
    unittest.main()
