/// Turns written English into what a speaker says, in the characters of an `Alphabet`: the normalisation
/// of the project's transcripts (Tests/EarshotDecodingTests/Fixtures/README.md), used for training labels and for every WER/CER.
///
/// The rules, in order:
/// 1. Typographic variants are folded: curly quotes and apostrophes to `'`/`"`, dashes to `-`, any
///    whitespace to a space.
/// 2. Text in square brackets or parentheses is an annotation, not speech, and is removed with its
///    brackets (`dash [-]` → `dash`, `… key. (simple tone sound plays)` → `… key`); angle brackets are
///    plain punctuation (`<beep ascending>` → `beep ascending`). `dropsBracketedText` turns this off.
/// 3. Numbers are spelled out as spoken (see `NumberWords`): `162` → `one hundred sixty two`, `1,500` →
///    `one thousand five hundred`, `2.5` → `two point five`, `.5` → `point five`, `22nd` → `twenty second`,
///    `1990s` → `nineteen nineties`, `-4` → `minus four`, `$5.50` → `five dollars fifty cents`, `10:30` →
///    `ten thirty`, `10:05` → `ten oh five`, `10:00` → `ten o'clock` (just `ten` before am/pm), `3D` →
///    `three d`.
///    Years: a plain four-digit number in 1100…1999 is read as a year, `1999` → `nineteen ninety nine`
///    (also the colloquial reading of quantities, "fifteen hundred"); every other number, 2000–2099
///    included, is a cardinal: `2009` → `two thousand nine`. With `readsYears` off all are cardinals.
///    A digit string with a leading zero (`007`) or of more than six digits without thousands separators
///    (`5551234`: phone numbers, codes) is read digit by digit.
/// 4. Symbols that are spoken become words: `#` → `pound`, `*` → `star` (but not around a word, where it
///    marks *emphasis*), `%` → `percent`, `&` → `and`, `@` → `at`, `+` → `plus`, `=` → `equals`; `am`/`pm`
///    after a number → `a m`/`p m`.
/// 5. Letters read one by one become separate letters: dotted abbreviations (`A.M.` → `a m`, `e.g.` →
///    `e g`), `www` before a dot, and acronyms — an all-capital token of 2–5 letters (optionally with a
///    plural `s`) that is not a word: `PBX` → `p b x`, `CDs` → `c d s`. "Not a word" means not in
///    `wordsInCapitals` (common short English words and acronyms said as words: `NOT`, `PIN`, `NASA`…)
///    and, for 4–5 letters, at most one vowel (`HTML`, `MISDN`; `LITE`, `ROMEO` are words). In text with
///    no lowercase letter at all (shouting), only capital tokens without a vowel are spelled.
///    A dot between two letters or digits is said: `asterisk.org` → `asterisk dot org`.
/// 6. Everything is lowercased; every other character (punctuation, other symbols, a hyphen, an apostrophe
///    not between two letters) separates words; spaces are collapsed and trimmed.
/// 7. `normalize` then drops every character outside `alphabet` (an apostrophe left without a letter on
///    either side then separates words, as in rule 6). `spokenForm` keeps them, so that
///    validation can name letters the model cannot output (`é` in `café`) instead of silently mangling
///    the word; `charactersOutsideAlphabet` lists them.
///
/// On the project's Asterisk transcripts `normalize(raw_transcript)` equals `normalized_transcript` on all
/// but a few lines, whose normalised column corrects spelling mistakes of the raw text (`fourtieth`,
/// `represenatives`, `thru`…); see `AsteriskTranscriptTests`.
public struct TextNormalizer: Codable, Sendable, Equatable {
    /// The characters the normalised text may contain. Default: English (a–z, apostrophe, space).
    public var alphabet: Alphabet
    /// Read plain four-digit numbers 1100…1999 as years (`nineteen ninety nine`). Default true.
    public var readsYears = true
    /// Spell acronyms letter by letter (rule 5). Default true.
    public var spellsAcronyms = true
    /// Remove text in `[…]` and `(…)` (rule 2). Default true, as the Asterisk transcripts need.
    public var dropsBracketedText = true
    /// All-capital tokens of 2–5 letters that are read as words, not spelled (upper case). Default:
    /// `TextNormalizer.commonCapitalWords`.
    public var wordsInCapitals: Set<String> = TextNormalizer.commonCapitalWords

    public init(alphabet: Alphabet = .english) {
        self.alphabet = alphabet
    }

    /// The normalised text, in the characters of `alphabet` only: what a model is trained to output and
    /// what WER/CER compare. An apostrophe that the filter leaves without a letter on either side (`é'r` →
    /// `'r`) separates words, as rule 6 has it, so normalising the result again changes nothing.
    public func normalize(_ text: String) -> String {
        let kept = Array(spokenForm(text).filter { $0 == " " || alphabet.index(of: $0) != nil })
        var result = ""
        result.reserveCapacity(kept.count)
        var pendingSpace = false
        for (i, c) in kept.enumerated() {
            let isSeparator =
                c == " " || (c == "'" && !(i > 0 && i + 1 < kept.count && kept[i - 1].isLetter && kept[i + 1].isLetter))
            if isSeparator {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace, alphabet.index(of: " ") != nil { result.append(" ") }
                pendingSpace = false
                result.append(c)
            }
        }
        return result
    }

    /// The normalised text before the alphabet filter (rules 1–6): lowercase words separated by single
    /// spaces, which may still hold letters and digits outside `alphabet` (`café`, `x²`).
    public func spokenForm(_ text: String) -> String {
        var folded = Self.fold(text)
        if dropsBracketedText { folded = Self.removingBracketedText(folded) }
        let tokens = folded.split(separator: " ")
        let shouting =
            !folded.contains(where: { $0.isLowercase })
            && tokens.count(where: { $0.count(where: \.isLetter) >= 2 }) >= 2
        var expander = TokenExpander(normalizer: self, shouting: shouting)
        for (i, token) in tokens.enumerated() {
            expander.expand(Array(token), next: i + 1 < tokens.count ? tokens[i + 1] : nil)
        }
        return expander.words.joined(separator: " ").lowercased()
    }

    /// The distinct letters and digits of `spokenForm(text)` that `alphabet` lacks, in order of first
    /// appearance: `["é"]` for `café`. Spaces and apostrophes are not listed (dropping them keeps the words).
    public func charactersOutsideAlphabet(_ text: String) -> [Character] {
        var seen: Set<Character> = []
        var result: [Character] = []
        for c in spokenForm(text) where c != " " && c != "'" && alphabet.index(of: c) == nil {
            if seen.insert(c).inserted { result.append(c) }
        }
        return result
    }

    /// Rule 1: typographic apostrophes, quotes and dashes to their ASCII forms, whitespace to spaces.
    static func fold(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "\u{2019}", "\u{2018}", "\u{02BC}", "\u{00B4}", "`": result.append("'")
            case "\u{201C}", "\u{201D}", "\u{201E}": result.append("\"")
            case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}": result.append("-")
            default: result.append(c.isWhitespace ? " " : c)
            }
        }
        return result
    }

    /// Rule 2: `text` without `[…]` and `(…)` spans (nested ones too), each replaced by a space. A closing
    /// bracket without its opening one is kept (and later dropped as punctuation); an opening bracket that
    /// is never closed removes nothing.
    static func removingBracketedText(_ text: String) -> String {
        guard text.contains(where: { $0 == "[" || $0 == "(" }) else { return text }
        let chars = Array(text)
        var result = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "[" || chars[i] == "(", let end = closingBracket(chars, from: i) {
                result.append(" ")
                i = end + 1
            } else {
                result.append(chars[i])
                i += 1
            }
        }
        return result
    }

    /// The index of the bracket closing the one at `start`, or nil when it is never closed.
    private static func closingBracket(_ chars: [Character], from start: Int) -> Int? {
        var depth = 0
        for j in start..<chars.count {
            switch chars[j] {
            case "[", "(": depth += 1
            case "]", ")":
                depth -= 1
                if depth == 0 { return j }
            default: break
            }
        }
        return nil
    }
}
