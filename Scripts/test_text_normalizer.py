"""Scripts/text_normalizer.py against the Swift normaliser it copies:

- every row of Tests/EarshotDecodingTests/Fixtures/asterisk_{train,test}.tsv: normalize(raw_transcript) ==
  normalized_transcript, except the six lines whose normalised column fixes a spelling mistake of the raw
  text (the same exceptions as AsteriskTranscriptTests.swift);
- every `assertNormalizes` example of Tests/EarshotDecodingTests/TextNormalizerTests.swift, read from that
  file (so a new Swift example is checked here too), and its other assertions, copied;
- NumberWordsTests.swift's cardinals, ordinals, years and digit strings;
- every case of Tests/EarshotDecodingTests/Fixtures/text_normalizer_twin.json (written by
  Scripts/fixtures/make_text_normalizer_fixtures.py), which TextNormalizerTwinTests checks against the Swift
  normaliser: so both give the same spoken form and normalised text on each of its strings.

    python3 -m unittest discover -s Scripts -p 'test_text_normalizer.py' -v
    python3 Scripts/test_text_normalizer.py            # same; standard library only
"""

import json
import re
import sys
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "Scripts"))
import text_normalizer as tn  # noqa: E402

TESTS = REPO / "Tests" / "EarshotDecodingTests"
FIXTURES = TESTS / "Fixtures"

# AsteriskTranscriptTests.spellingFixes: file → 1-based line numbers (header = line 1).
SPELLING_FIXES = {"asterisk_train.tsv": {299, 307}, "asterisk_test.tsv": {6, 35, 63, 91}}


def transcripts(name: str) -> list:
    """(line number, raw, normalised) of each 3-column line of a TSV, as the Swift test reads them."""
    rows = []
    for i, line in enumerate((FIXTURES / name).read_text(encoding="utf-8").split("\n")):
        columns = line.split("\t")
        if i > 0 and len(columns) == 3:
            rows.append((i + 1, columns[1], columns[2]))
    return rows


def swift_string(literal: str) -> str:
    """The value of a Swift string literal's body (escapes \\" \\\\ \\t \\n \\r \\0 \\' \\u{…})."""
    def unescape(m):
        e = m.group(1)
        if e.startswith("u{"):
            return chr(int(e[2:-1], 16))
        return {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "\\": "\\", "'": "'"}[e]
    return re.sub(r"\\(u\{[0-9A-Fa-f]+\}|.)", unescape, literal)


def swift_examples() -> list:
    """(raw, expected) of every tuple inside `assertNormalizes([…])` in TextNormalizerTests.swift."""
    source = (TESTS / "TextNormalizerTests.swift").read_text(encoding="utf-8")
    string = r'"((?:[^"\\]|\\.)*)"'
    pairs = []
    for block in re.findall(r"assertNormalizes\(\[(.*?)\]\)", source, re.S):
        for raw, expected in re.findall(r"\(\s*" + string + r"\s*,\s*" + string + r"\s*\)", block, re.S):
            pairs.append((swift_string(raw), swift_string(expected)))
    return pairs


class AsteriskTranscripts(unittest.TestCase):
    def test_normalized_column(self):
        total = exact = 0
        unexpected = []
        for name, count in (("asterisk_train.tsv", 434), ("asterisk_test.tsv", 111)):
            rows = transcripts(name)
            self.assertEqual(len(rows), count, name)
            file_exact = 0
            for line, raw, normalized in rows:
                got = tn.normalize(raw)
                if got == normalized:
                    file_exact += 1
                elif line not in SPELLING_FIXES[name]:
                    unexpected.append(f"{name}:{line}: {raw}\n    got:      {got}\n    expected: {normalized}")
            print(f"\n{name}: {file_exact}/{len(rows)} lines normalised exactly", file=sys.stderr)
            total += len(rows)
            exact += file_exact
        print(f"both files: {exact}/{total}; the other {total - exact} are the spelling fixes",
              file=sys.stderr)
        self.assertEqual(unexpected, [])
        self.assertEqual(total - exact, sum(len(v) for v in SPELLING_FIXES.values()))


class SwiftTextNormalizerTests(unittest.TestCase):
    def test_examples_of_the_swift_tests(self):
        examples = swift_examples()
        self.assertGreaterEqual(len(examples), 100, "examples parsed from TextNormalizerTests.swift")
        for raw, expected in examples:
            with self.subTest(raw=raw):
                self.assertEqual(tn.normalize(raw), expected)

    def test_options(self):
        self.assertEqual(tn.TextNormalizer(drops_bracketed_text=False).normalize("a (quiet) word"), "a quiet word")
        self.assertEqual(tn.TextNormalizer(reads_years=False).normalize("1999"),
                         "one thousand nine hundred ninety nine")

    def test_alphabet_filter(self):
        self.assertEqual(tn.normalize("Café au lait"), "caf au lait")
        self.assertEqual(tn.spoken_form("Café au lait"), "café au lait")
        self.assertEqual(tn.normalize("Cafe\u0301 au lait"), "caf au lait", "decomposed é, as Swift")
        self.assertEqual(tn.DEFAULT.characters_outside_alphabet("Café, naïve café"), ["é", "ï"])
        self.assertEqual(tn.DEFAULT.characters_outside_alphabet("x² ok"), ["²"])
        self.assertEqual(tn.DEFAULT.characters_outside_alphabet("plain text, 42!"), [])
        small = tn.TextNormalizer(alphabet=" abcdefghijklmnopqrstuvwxyz")
        self.assertEqual(small.normalize("Don't stop"), "dont stop")
        self.assertEqual(small.characters_outside_alphabet("Don't stop"), [])
        self.assertEqual(tn.TextNormalizer(alphabet="abc").normalize("a b, cd"), "abc")

    def test_idempotent(self):
        for text in ["press 1 for the PBX at 10:30 am", "Call-Forward [x] 1st $5.50", "café au lait", "é'r", "a'é'b"]:
            once = tn.normalize(text)
            self.assertEqual(tn.normalize(once), once, text)

    def test_apostrophe_left_alone_by_the_filter(self):
        """Found by the Swift fuzzer (FUZZING.md): the filter must not leave an apostrophe beside no letter."""
        for text, expected in [("é'r", "r"), ("r'é", "r"), ("a'é'b", "a b"), ("é'é", ""), ("café's", "caf's")]:
            self.assertEqual(tn.normalize(text), expected, text)

    def test_recognizer_output(self):
        """What Whisper and pocketsphinx write, worked out by hand from the Swift rules."""
        cases = [
            (" Press 1 for sales, 2 for support.", "press one for sales two for support"),
            ("Please enter your 4-digit PIN, followed by #.", "please enter your four digit pin followed by pound"),
            ("It's 5:30 p.m. on May 3rd, 2024.", "it's five thirty p m on may third two thousand twenty four"),
            ("That costs $12.05 (plus tax) or 15% off.", "that costs twelve dollars five cents or fifteen percent off"),
            ("Call 911 or 555-1234.", "call nine hundred eleven or five hundred fifty five twelve thirty four"),
            ("Dial *72 then the number", "dial star seventy two then the number"),
            ("The CEO's ID is on the U.S. web site", "the c e o's i d is on the u s web site"),
            ("O'Brien's well-known 'quote'", "o'brien's well known quote"),
            ("a.m. read(2) <sil>", "a m read sil"),
            ("the 1960s and 2000s", "the nineteen sixties and two thousands"),
            ("1.5 million", "one point five million"),
        ]
        for raw, expected in cases:
            with self.subTest(raw=raw):
                self.assertEqual(tn.normalize(raw), expected)


class TwinFixture(unittest.TestCase):
    def test_cases_checked_by_the_swift_tests(self):
        fixture = json.loads((FIXTURES / "text_normalizer_twin.json").read_text(encoding="utf-8"))
        self.assertGreaterEqual(len(fixture["cases"]), 700)
        for case in fixture["cases"]:
            with self.subTest(text=case["text"]):
                self.assertEqual(tn.spoken_form(case["text"]), case["spoken"])
                self.assertEqual(tn.normalize(case["text"]), case["normalized"])

    def test_characters(self):
        """Swift's Characters: marks and joiners stay with the code point before them, CR LF is one."""
        self.assertEqual(tn.characters("e\u0301x"), ["e\u0301", "x"])
        self.assertEqual(tn.characters("\r\n\u0301"), ["\r\n", "\u0301"])
        self.assertEqual(tn.characters("👍🏽 a\u200db"), ["👍🏽", " ", "a\u200d", "b"])


class SwiftNumberWordsTests(unittest.TestCase):
    def test_cardinals(self):
        cases = [(0, "zero"), (1, "one"), (9, "nine"), (10, "ten"), (13, "thirteen"), (19, "nineteen"),
                 (20, "twenty"), (21, "twenty one"), (40, "forty"), (99, "ninety nine"), (100, "one hundred"),
                 (101, "one hundred one"), (162, "one hundred sixty two"), (999, "nine hundred ninety nine"),
                 (1000, "one thousand"), (1001, "one thousand one"), (2009, "two thousand nine"),
                 (10_000, "ten thousand"), (110_011, "one hundred ten thousand eleven"),
                 (1_000_005, "one million five"), (2_000_000_000, "two billion"),
                 (3_000_000_000_000, "three trillion"),
                 (tn.LARGEST, "nine hundred ninety nine trillion nine hundred ninety nine billion nine hundred "
                              "ninety nine million nine hundred ninety nine thousand nine hundred ninety nine")]
        for n, words in cases:
            self.assertEqual(tn.cardinal(n), words, n)

    def test_ordinals(self):
        cases = [(1, "first"), (2, "second"), (3, "third"), (4, "fourth"), (5, "fifth"), (8, "eighth"),
                 (9, "ninth"), (11, "eleventh"), (12, "twelfth"), (20, "twentieth"), (22, "twenty second"),
                 (40, "fortieth"), (100, "one hundredth"), (101, "one hundred first"), (1000, "one thousandth"),
                 (1_000_000, "one millionth"), (0, "zeroth")]
        for n, words in cases:
            self.assertEqual(tn.ordinal(n), words, n)

    def test_years(self):
        for n, words in [(1999, "nineteen ninety nine"), (1905, "nineteen oh five"), (1900, "nineteen hundred"),
                         (1100, "eleven hundred"), (1066, "one thousand sixty six"), (2009, "two thousand nine"),
                         (2024, "two thousand twenty four")]:
            self.assertEqual(tn.year(n), words, n)

    def test_digit_by_digit(self):
        self.assertEqual(tn.digit_by_digit("007"), "zero zero seven")
        self.assertEqual(tn.digit_by_digit("5-1"), "five one")
        self.assertEqual(tn.digit_by_digit(""), "")


if __name__ == "__main__":
    unittest.main()
