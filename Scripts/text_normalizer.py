"""Python twin of Earshot's text normaliser (`Sources/EarshotDecoding/TextNormalizer*.swift` and
`NumberWords.swift`): written English → what a speaker says, lower case a–z, apostrophe and space. It is the
scripts' one normaliser: the peers' hypotheses (Scripts/bench/pocketsphinx_eval.py, whisper_eval.py), so
that every WER and CER of the project compares the same kind of text; the corpus transcripts
(Scripts/corpus/); the LM text (Scripts/build_lm.py, Scripts/fixtures/make_beam_fixtures.py).

    import text_normalizer                       # with Scripts/ on sys.path
    text_normalizer.normalize("Press 1, then #.")   # 'press one then pound'

Standard library only. The rules, in the Swift code's order (its doc comment has the full list):
1. Curly quotes and apostrophes → `'`/`"`, dashes → `-`, any whitespace → space.
2. `[…]` and `(…)` spans (nested too) are removed; `<…>` is plain punctuation.
3. Numbers as spoken: `162` → `one hundred sixty two`, `1,500`, `2.5` → `two point five`, `.5`, `22nd`,
   `1990s`, `-4` → `minus four`, `$5.50` → `five dollars fifty cents`, `10:30`, `10:05` → `ten oh five`,
   `10:00` → `ten o'clock` (`ten` before am/pm); plain 1100…1999 as years (`nineteen ninety nine`),
   2000–2099 and all others as cardinals; a leading zero or more than six digits without separators:
   digit by digit.
4. `#` → pound, `*` → star (not next to a letter: *emphasis*), `%` percent, `&` and, `@` at, `+` plus,
   `=` equals; `am`/`pm` after a number → `a m`/`p m`.
5. Dotted abbreviations (`A.M.`, `e.g.`), `www` before a dot and acronyms (2–5 capitals, not a word of
   `COMMON_CAPITAL_WORDS`, 4–5 letters with at most one vowel; in shouted text no vowel at all) are spelled
   letter by letter; a dot between letters or digits is `dot`.
6. Lower case; every other character (a hyphen, an apostrophe not between two letters…) separates words.
7. `normalize` keeps only the characters of the alphabet (default: space, a–z, apostrophe); an apostrophe
   left without a letter on either side then separates words, as in rule 6.

Swift walks Characters (grapheme clusters), compares them by canonical equivalence and asks a Character's
properties (letter, number, whitespace) of its first scalar; here the text is NFC-composed first (canonically
equivalent texts become the same code points) and walked by `characters`: each code point with the marks and
joiners after it, properties from the first code point (a letter is Unicode's Alphabetic: `str.isalpha` or a
letter number). What is left of the difference, none of it for ASCII text: the spoken form is NFC (Swift's keeps
the input's scalars: the same string to Swift's `==`); a KELVIN SIGN is the ASCII `K` here; a mark with the
Alphabetic property standing alone (at the start, after a control character) is no letter here.

Checked by Scripts/test_text_normalizer.py against the Asterisk TSVs, the Swift tests' examples and
Tests/EarshotDecodingTests/Fixtures/text_normalizer_twin.json, which TextNormalizerTwinTests checks in Swift.
"""

import unicodedata

ENGLISH_ALPHABET = " abcdefghijklmnopqrstuvwxyz'"

# TextNormalizer+CapitalWords.swift: capital tokens of 2–5 letters read as words, not spelled.
COMMON_CAPITAL_WORDS = frozenset("""
AIDS ASCII AWOL FIFA GIF JPEG LAN LASER LINUX NAFTA NASA NATO OPEC PIN RADAR RAM ROM SCUBA SIM UNIX WAN WIFI
AH AM AN AS AT BE BY DO GO HE HI IF IN IS IT ME MY NO OF OH OK ON OR OX SO TO UP US WE YO
ADD AGE AGO AIR ALL AND ANY ARE ART ASK BAD BED BIG BOX BOY BUT BUY CAN CAR CAT CUT DAD DAY DID DOG EAT END EYE
FAR FEW FOR FUN GET GOD GOT GUY HAD HAS HER HEY HIM HIS HIT HOT HOW ITS JOB KEY LAW LET LIE LOT LOW MAN MAY MEN
MOM NEW NOR NOT NOW ODD OFF OLD ONE OUR OUT OWN PAY PUT RED RUN SAD SAW SAY SEE SET SHE SIT SIX SON SUN TEN THE
TOO TOP TRY TWO USE WAR WAS WAY WHO WHY WIN WON YES YET YOU
ALSO AWAY BACK BEEN BEEP BEST BOTH BUSY CALL CAME COME DAMN DEAD DIAL DOES DONE DOWN EACH EASY EVEN EVER FAST
FEEL FIND FIVE FOUR FREE FROM FULL GIRL GIVE GOES GOOD HARD HATE HAVE HEAR HELL HELP HERE HIGH HOLD HOME HOPE
INTO JUST KEEP KILL KIND KNOW LAST LEFT LESS LIFE LIKE LINE LIVE LONG LOOK LOSE LOST LOVE MADE MAIL MAKE MANY
MENU MIND MISS MORE MOST MOVE MUCH MUST NAME NEAR NEED NEXT NICE NINE NONE NOTE OKAY ONCE ONLY OPEN OVER PART
PAST PLAY PUSH READ REAL RISK SAFE SAID SAME SAVE SEND SHOW SIDE SLOW SOME SOON STAR STOP SURE TAKE TALK TELL
THAN THAT THEM THEN THEY THIS TIME TONE TRUE TURN USED VERY WAIT WALK WANT WARN WELL WENT WERE WHAT WHEN WILL
WISH WITH WORD WORK YEAR YOUR ZERO
ABOUT ABOVE AFTER AGAIN BEING BELOW BLACK CLOSE COULD DEATH EARLY EIGHT EMPTY ENTER EVERY FALSE FIRST FUNNY
GREAT GUESS HAPPY HEART HEAVY HELLO HOUSE LATER LEARN LEAVE LIGHT LUCKY MAYBE MIGHT MONEY MUSIC NEVER NIGHT
ORDER OTHER PARTY PEACE PLACE POINT POUND POWER PRESS QUIET QUITE READY RIGHT SEVEN SHALL SHORT SINCE SLEEP
SMALL SORRY STAND START STILL STORY STUFF TABLE THANK THEIR THERE THESE THING THINK THOSE THREE TODAY TRULY
TRUST TRUTH UNDER UNTIL VOICE WATCH WATER WHERE WHICH WHILE WHITE WHOLE WOMAN WORLD WORST WOULD WRONG YOUNG
""".split())

# ------------------------------------------------------------------------------------------ NumberWords.swift

LARGEST = 999_999_999_999_999
ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen").split()
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = ["", "thousand", "million", "billion", "trillion"]


def below_thousand(n: int) -> list:
    words = []
    if n >= 100:
        words += [ONES[n // 100], "hundred"]
    r = n % 100
    if r >= 20:
        words.append(TENS[r // 10])
        if r % 10 > 0:
            words.append(ONES[r % 10])
    elif r > 0:
        words.append(ONES[r])
    return words


def cardinal_words(n: int) -> list:
    """0 → [zero], 1000005 → [one, million, five]; 0 ≤ n ≤ LARGEST."""
    if not 0 <= n <= LARGEST:
        raise ValueError(f"{n} is outside 0…{LARGEST}")
    if n == 0:
        return ["zero"]
    groups = []
    while n > 0:
        groups.append(n % 1000)
        n //= 1000
    words = []
    for scale in range(len(groups) - 1, -1, -1):
        if groups[scale] > 0:
            words += below_thousand(groups[scale])
            if scale > 0:
                words.append(SCALES[scale])
    return words


def ordinal_word(word: str) -> str:
    special = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
               "nine": "ninth", "twelve": "twelfth"}
    if word in special:
        return special[word]
    return word[:-1] + "ieth" if word.endswith("y") else word + "th"


def ordinal_words(n: int) -> list:
    words = cardinal_words(n)
    words[-1] = ordinal_word(words[-1])
    return words


def plural_word(word: str) -> str:
    if word.endswith("y"):
        return word[:-1] + "ies"
    if word.endswith("x"):
        return word + "es"
    return word + "s"


def year_words(n: int) -> list:
    if not 1100 <= n <= 1999:
        return cardinal_words(n)
    high, low = divmod(n, 100)
    if low == 0:
        return below_thousand(high) + ["hundred"]
    if low < 10:
        return below_thousand(high) + ["oh", ONES[low]]
    return below_thousand(high) + below_thousand(low)


def digit_words(digits: str) -> list:
    return [ONES[ord(c) - 48] for c in digits if "0" <= c <= "9"]


def cardinal(n: int) -> str:
    return " ".join(cardinal_words(n))


def ordinal(n: int) -> str:
    return " ".join(ordinal_words(n))


def year(n: int) -> str:
    return " ".join(year_words(n))


def digit_by_digit(digits: str) -> str:
    return " ".join(digit_words(digits))


# ------------------------------------------------------------------------------------------ characters
# Swift walks text by Character (an extended grapheme cluster) and asks a Character's properties of its first
# scalar; these helpers do the same on clusters held as strings.

# Unicode's White_Space property (Swift's isWhitespace); str.isspace also takes U+001C…U+001F.
WHITE_SPACE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                        "\u200a\u2028\u2029\u202f\u205f\u3000")
_JOINERS = ("\u200c", "\u200d")
_EMOJI_MODIFIERS = ("\U0001F3FB", "\U0001F3FF")  # first and last


def _extends_cluster(c: str) -> bool:
    """Whether code point `c` belongs to the cluster before it: a combining or spacing mark, a joiner, an emoji
    skin-tone modifier."""
    return unicodedata.category(c) in ("Mn", "Mc", "Me") or c in _JOINERS \
        or _EMOJI_MODIFIERS[0] <= c <= _EMOJI_MODIFIERS[1]


def _is_control(c: str) -> bool:
    """Control characters and line/paragraph separators: nothing attaches to them."""
    return unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in _JOINERS


def characters(text: str) -> list:
    """`text` as Swift's Characters: each code point with the marks, joiners and modifiers after it, CR LF as
    one. Simpler than Unicode's grapheme rules (emoji joined by ZWJ, flag pairs and conjuncts stay apart here),
    which changes no output: those are never letters or numbers but where they start with one."""
    if text.isascii() and "\r\n" not in text:
        return list(text)  # the common case, fast: one character per code point
    out = []
    for c in text:
        if out and ((_extends_cluster(c) and not _is_control(out[-1][0])) or (c == "\n" and out[-1] == "\r")):
            out[-1] += c
        else:
            out.append(c)
    return out


def _is_digit(c: str) -> bool:
    """`0`…`9` alone (Swift's asciiValue: a digit with a mark is no digit)."""
    return len(c) == 1 and "0" <= c <= "9"


def _is_letter(c: str) -> bool:
    """Unicode's Alphabetic property of the first scalar: letters and letter numbers (`Ⅻ`)."""
    return c[0].isalpha() or unicodedata.category(c[0]) == "Nl"


def _is_number(c: str) -> bool:
    return c[0].isnumeric()


def _is_letter_or_number(c: str) -> bool:
    return _is_letter(c) or _is_number(c)


def _lowercased(text: str) -> str:
    """Swift's lowercased(): each scalar's full lower-case mapping, no context (Σ at a word's end → σ, not ς)."""
    if text.isascii():
        return text.lower()
    return "".join(c.lower() for c in text)


_FOLD = {"\u2019": "'", "\u2018": "'", "\u02BC": "'", "\u00B4": "'", "`": "'",
         "\u201C": '"', "\u201D": '"', "\u201E": '"',
         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}

SYMBOL_WORDS = {"#": "pound", "*": "star", "%": "percent", "&": "and", "@": "at", "+": "plus", "=": "equals"}

_NONE, _ORDINAL, _PLURAL = "none", "ordinal", "plural"
_LONGEST_CARDINAL = 6
_INT_MAX = 2 ** 63 - 1  # Swift's Int(digits) fails above it


def fold(text: str) -> str:
    """Rule 1."""
    return "".join(_FOLD.get(c, " " if c[0] in WHITE_SPACE else c) for c in characters(text))


def removing_bracketed_text(text: str) -> str:
    """Rule 2: `[…]`/`(…)` spans, nested too, each → a space; a bracket never closed removes nothing."""
    chars = characters(text)
    if "[" not in chars and "(" not in chars:
        return text
    out = []
    i = 0
    while i < len(chars):
        end = _closing_bracket(chars, i) if chars[i] in ("[", "(") else None
        if end is not None:
            out.append(" ")
            i = end + 1
        else:
            out.append(chars[i])
            i += 1
    return "".join(out)


def _closing_bracket(chars: list, start: int):
    depth = 0
    for j in range(start, len(chars)):
        if chars[j] in ("[", "("):
            depth += 1
        elif chars[j] in ("]", ")"):
            depth -= 1
            if depth == 0:
                return j
    return None


# ------------------------------------------------------------------------------------------ TokenExpander

class _TokenExpander:
    """TextNormalizer+Tokens.swift and TextNormalizer+Numbers.swift: the words of each token (a list of
    `characters`), original case."""

    def __init__(self, normalizer, shouting: bool):
        self.normalizer = normalizer
        self.shouting = shouting
        self.words = []
        self.after_number = False

    def emit(self, word: str) -> None:
        self.words.append(word)
        self.after_number = False

    def emit_number(self, words: list) -> None:
        self.words += words
        self.after_number = True

    def expand(self, t: list, nxt) -> None:
        n = len(t)
        i = 0
        while i < n:
            c = t[i]
            if _is_digit(c):
                i = self.number(t, i, False, nxt)
            elif c == "$" and i + 1 < n and _is_digit(t[i + 1]):
                i = self.number(t, i + 1, True, nxt)
            elif c == "-" and i + 1 < n and _is_digit(t[i + 1]) and (i == 0 or not _is_letter_or_number(t[i - 1])):
                self.emit("minus")
                i += 1
            elif _is_letter(c):
                i = self.letters(t, i)
            elif _is_number(c):
                self.emit(c)  # a digit of another script, a superscript…
                i += 1
            elif c == "*" and ((i > 0 and _is_letter(t[i - 1])) or (i + 1 < n and _is_letter(t[i + 1]))):
                i += 1  # *emphasis*
            elif c in SYMBOL_WORDS:
                self.emit(SYMBOL_WORDS[c])
                i += 1
            elif c == "." and 0 < i and i + 1 < n and _is_letter_or_number(t[i - 1]) \
                    and _is_letter_or_number(t[i + 1]):
                self.emit("dot")
                i += 1
            elif c == "." and i + 1 < n and _is_digit(t[i + 1]):
                self.emit("point")
                i += 1
            else:
                i += 1
        if t and not _is_letter_or_number(t[-1]):
            self.after_number = False

    # letters

    def letters(self, t: list, start: int) -> int:
        dotted = self.dotted_letters(t, start)
        if dotted is not None:
            spelled, end = dotted
            for letter in spelled:
                self.emit(letter)
            return end
        n = len(t)
        end = start
        while end < n and (_is_letter(t[end]) or (t[end] == "'" and end + 1 < n and _is_letter(t[end + 1]))):
            end += 1
        run = "".join(t[start:end])
        lower = run.lower()
        spelled = None
        if self.after_number and lower in ("am", "pm"):
            self.emit(lower[0])
            self.emit("m")
            return end
        if lower == "www" and end < n and t[end] == ".":
            for _ in range(3):
                self.emit("w")
            return end
        if self.normalizer.spells_acronyms:
            joined = (end < n and t[end] == "&") or (start > 0 and t[start - 1] == "&")
            spelled = self.acronym_letters(run, joined)
        if spelled is not None:
            for letter in spelled:
                self.emit(letter)
        else:
            self.emit(run)
        return end

    @staticmethod
    def dotted_letters(t: list, start: int):
        n = len(t)
        letters = []
        j = start
        while j < n and _is_letter(t[j]) and (j + 1 == n or not _is_letter(t[j + 1])):
            letters.append(t[j])
            j += 1
            if not (j < n and t[j] == "."):
                break
            j += 1
        return (letters, j) if len(letters) >= 2 else None

    def acronym_letters(self, run: str, joined: bool = False):
        core, suffix = run, ""
        if core.endswith("'s") or core.endswith("'S"):
            core, suffix = core[:-2], core[-2:]
        elif len(core) > 2 and core[-1] == "s":
            core, suffix = core[:-1], "s"
        if not (2 <= len(core) <= 5 and all(c.isascii() and c.isupper() for c in core)):
            return None
        if not joined and (core in self.normalizer.words_in_capitals
                           or (self.shouting and any(c in "AEIOUY" for c in core))
                           or (len(core) > 3 and sum(c in "AEIOU" for c in core) > 1)):
            return None
        letters = list(core)
        if suffix == "s":
            letters.append("s")
        elif suffix:
            letters[-1] += suffix
        return letters

    # numbers

    def number(self, t: list, start: int, currency: bool, nxt) -> int:
        n = len(t)
        j = start
        digits = ""
        while j < n and _is_digit(t[j]):
            digits += t[j]
            j += 1
        grouped = False
        if len(digits) <= 3 and digits[0] != "0":
            while j + 3 < n and t[j] == "," and _is_digit(t[j + 1]) and _is_digit(t[j + 2]) \
                    and _is_digit(t[j + 3]) and (j + 4 == n or not _is_digit(t[j + 4])):
                digits += "".join(t[j + 1:j + 4])
                j += 4
                grouped = True
        if not grouped and not currency:
            clock = self.clock_time(digits, t, j)
            if clock is not None:
                j += 3
                meridiem = self.meridiem_follows(t, j, nxt)
                self.emit_number(self.time_words(*clock, meridiem))
                return j
        fraction = None
        if j + 1 < n and t[j] == "." and _is_digit(t[j + 1]):
            j += 1
            f = ""
            while j < n and _is_digit(t[j]):
                f += t[j]
                j += 1
            fraction = f
        suffix = _NONE
        if fraction is None and not currency:
            suffix, j = self.suffix(t, j)
        words = self.integer_words(digits, grouped, suffix)
        if not currency:
            if fraction is not None:
                words += ["point"] + digit_words(fraction)
        elif fraction is None:
            words.append("dollar" if digits == "1" else "dollars")
        else:
            integer = int(digits) if int(digits) <= _INT_MAX else None
            words = self.dollar_words(words, integer, fraction)
        self.emit_number(words)
        return j

    def integer_words(self, digits: str, grouped: bool, suffix: str) -> list:
        if (len(digits) > 1 and digits[0] == "0") or len(digits) > 15 \
                or (not grouped and len(digits) > _LONGEST_CARDINAL):
            words = digit_words(digits)
        elif self.normalizer.reads_years and not grouped and suffix != _ORDINAL and len(digits) == 4 \
                and 1100 <= int(digits) <= 1999:
            words = year_words(int(digits))
        else:
            words = cardinal_words(int(digits))
        if suffix == _ORDINAL:
            words[-1] = ordinal_word(words[-1])
        elif suffix == _PLURAL:
            words[-1] = plural_word(words[-1])
        return words

    @staticmethod
    def suffix(t: list, j: int):
        n = len(t)
        end = j
        while end < n and _is_letter(t[end]):
            end += 1
        letters = "".join(t[j:end]).lower()
        if letters in ("st", "nd", "rd", "th"):
            return _ORDINAL, end
        if letters == "s":
            return _PLURAL, end
        if letters == "" and j + 1 < n and t[j] == "'" and t[j + 1] in ("s", "S") \
                and (j + 2 == n or not _is_letter(t[j + 2])):
            return _PLURAL, j + 2
        return _NONE, j

    @staticmethod
    def clock_time(hour_digits: str, t: list, j: int):
        n = len(t)
        if len(hour_digits) <= 2 and int(hour_digits) <= 24 and j + 2 < n and t[j] == ":" \
                and _is_digit(t[j + 1]) and _is_digit(t[j + 2]) and (j + 3 == n or not _is_digit(t[j + 3])):
            minutes = int("".join(t[j + 1:j + 3]))
            if minutes < 60:
                return int(hour_digits), minutes
        return None

    @staticmethod
    def time_words(hour: int, minutes: int, meridiem: bool) -> list:
        words = cardinal_words(hour)
        if minutes == 0:
            return words if meridiem else words + ["o'clock"]
        if minutes < 10:
            return words + ["oh", ONES[minutes]]
        return words + cardinal_words(minutes)

    @staticmethod
    def meridiem_follows(t: list, j: int, nxt) -> bool:
        letters = "".join(c for c in t[j:] if _is_letter(c)).lower()
        if j == len(t) and nxt is not None:
            letters = "".join(c for c in nxt if _is_letter(c)).lower()
        return letters in ("am", "pm")

    @staticmethod
    def dollar_words(integer_words: list, integer, fraction: str) -> list:
        if len(fraction) != 2 or integer is None:
            return integer_words + ["point"] + digit_words(fraction) + ["dollars"]
        cents = int(fraction)
        words = []
        if integer > 0 or cents == 0:
            words += integer_words + ["dollar" if integer == 1 else "dollars"]
        if cents > 0:
            words += cardinal_words(cents) + ["cent" if cents == 1 else "cents"]
        return words


# ------------------------------------------------------------------------------------------ TextNormalizer

def _split_at_spaces(chars: list) -> list:
    """The tokens (lists of characters) between the spaces of `chars`: Swift's split(separator: " ")."""
    tokens, token = [], []
    for c in chars:
        if c != " ":
            token.append(c)
        elif token:
            tokens.append(token)
            token = []
    if token:
        tokens.append(token)
    return tokens


class TextNormalizer:
    """TextNormalizer.swift, with its options (same defaults)."""

    def __init__(self, alphabet: str = ENGLISH_ALPHABET, reads_years: bool = True, spells_acronyms: bool = True,
                 drops_bracketed_text: bool = True, words_in_capitals=COMMON_CAPITAL_WORDS):
        self.alphabet = frozenset(alphabet)
        self.reads_years = reads_years
        self.spells_acronyms = spells_acronyms
        self.drops_bracketed_text = drops_bracketed_text
        self.words_in_capitals = frozenset(words_in_capitals)

    def normalize(self, text: str) -> str:
        """Rules 1–7: the text in the alphabet's characters only, single spaces, no edge spaces; an apostrophe
        the filter leaves without a letter on either side (`é'r` → `'r`) separates words, as in rule 6."""
        kept = [c for c in characters(self.spoken_form(text)) if c == " " or c in self.alphabet]
        out = []
        pending_space = False
        space_ok = " " in self.alphabet
        for i, c in enumerate(kept):
            between_letters = 0 < i < len(kept) - 1 and _is_letter(kept[i - 1]) and _is_letter(kept[i + 1])
            if c == " " or (c == "'" and not between_letters):
                pending_space = bool(out)
            else:
                if pending_space and space_ok:
                    out.append(" ")
                pending_space = False
                out.append(c)
        return "".join(out)

    def spoken_form(self, text: str) -> str:
        """Rules 1–6: lower-case words separated by single spaces, characters outside the alphabet kept."""
        folded = fold(unicodedata.normalize("NFC", text))
        if self.drops_bracketed_text:
            folded = removing_bracketed_text(folded)
        chars = characters(folded)
        tokens = _split_at_spaces(chars)
        shouting = not any(c.islower() for c in chars) \
            and sum(1 for t in tokens if sum(1 for c in t if _is_letter(c)) >= 2) >= 2
        expander = _TokenExpander(self, shouting)
        for i, token in enumerate(tokens):
            expander.expand(token, tokens[i + 1] if i + 1 < len(tokens) else None)
        return _lowercased(" ".join(expander.words))

    def characters_outside_alphabet(self, text: str) -> list:
        seen, result = set(), []
        for c in characters(self.spoken_form(text)):
            if c not in (" ", "'") and c not in self.alphabet and c not in seen:
                seen.add(c)
                result.append(c)
        return result


DEFAULT = TextNormalizer()


def normalize(text: str) -> str:
    """`TextNormalizer().normalize(text)` of the Swift code: what Earshot's references and WER/CER use."""
    return DEFAULT.normalize(text)


def spoken_form(text: str) -> str:
    return DEFAULT.spoken_form(text)


if __name__ == "__main__":
    import sys
    for line in (sys.argv[1:] or sys.stdin.read().splitlines()):
        print(normalize(line))
