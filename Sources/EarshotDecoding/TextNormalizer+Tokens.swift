/// Expands the space-separated tokens of one text into spoken words, in their original case (rules 3–6 of
/// `TextNormalizer`): a scanner over each token's characters that recognises numbers, letter runs and
/// spoken symbols, and treats every other character as a word boundary.
struct TokenExpander {
    let normalizer: TextNormalizer
    /// The text has no lowercase letter, so capital tokens are words unless they have no vowel.
    let shouting: Bool
    /// The words so far.
    private(set) var words: [String] = []
    /// The last word came from a number (so a following `am`/`pm` is a time of day).
    var afterNumber = false

    /// Symbols read as a word wherever they stand.
    static let symbolWords: [Character: String] = [
        "#": "pound", "*": "star", "%": "percent", "&": "and", "@": "at", "+": "plus", "=": "equals",
    ]

    init(normalizer: TextNormalizer, shouting: Bool) {
        self.normalizer = normalizer
        self.shouting = shouting
    }

    /// Appends the words of one token; `next` is the following token, for look-ahead (`10:00 am`).
    mutating func expand(_ token: [Character], next: Substring?) {
        var i = 0
        while i < token.count {
            let c = token[i]
            if Self.isDigit(c) {
                i = number(token, at: i, currency: false, next: next)
            } else if c == "$", i + 1 < token.count, Self.isDigit(token[i + 1]) {
                i = number(token, at: i + 1, currency: true, next: next)
            } else if c == "-", i + 1 < token.count, Self.isDigit(token[i + 1]),
                i == 0 || !Self.isLetterOrNumber(token[i - 1])
            {
                emit("minus")
                i += 1
            } else if c.isLetter {
                i = letters(token, at: i)
            } else if c.isNumber {
                emit(String(c))  // a digit of another script, a superscript…: kept for validation to name
                i += 1
            } else if c == "*", (i > 0 && token[i - 1].isLetter) || (i + 1 < token.count && token[i + 1].isLetter) {
                i += 1  // *emphasis*, not a key to press
            } else if let word = Self.symbolWords[c] {
                emit(word)
                i += 1
            } else if c == ".", i > 0, i + 1 < token.count, Self.isLetterOrNumber(token[i - 1]),
                Self.isLetterOrNumber(token[i + 1])
            {
                emit("dot")  // asterisk.org; decimals never get here, `number` takes them
                i += 1
            } else if c == ".", i + 1 < token.count, Self.isDigit(token[i + 1]) {
                emit("point")  // .5
                i += 1
            } else {
                i += 1  // any other character separates words
            }
        }
        // Punctuation after a number ends its phrase: in "at 10:00. Am I late?", `Am` is not a time.
        if let last = token.last, !Self.isLetterOrNumber(last) { afterNumber = false }
    }

    /// A word that is not a number.
    mutating func emit(_ word: String) {
        words.append(word)
        afterNumber = false
    }

    /// The words of a number.
    mutating func emitNumber(_ numberWords: [String]) {
        words += numberWords
        afterNumber = true
    }

    /// Reads the letter run starting at `start`: a dotted abbreviation, `am`/`pm` after a number, `www`,
    /// an acronym or a plain word (with apostrophes between letters). Returns the index after it.
    mutating func letters(_ t: [Character], at start: Int) -> Int {
        if let (spelled, end) = Self.dottedLetters(t, at: start) {
            for letter in spelled { emit(String(letter)) }
            return end
        }
        var end = start
        while end < t.count, t[end].isLetter || (t[end] == "'" && end + 1 < t.count && t[end + 1].isLetter) {
            end += 1
        }
        let run = String(t[start..<end])
        let lower = run.lowercased()
        if afterNumber, lower == "am" || lower == "pm" {
            emit(String(lower.first!))
            emit("m")
        } else if lower == "www", end < t.count, t[end] == "." {
            for _ in 0..<3 { emit("w") }
        } else if normalizer.spellsAcronyms,
            let spelled = acronymLetters(
                run, joinedByAmpersand: (end < t.count && t[end] == "&") || (start > 0 && t[start - 1] == "&"))
        {
            for letter in spelled { emit(letter) }
        } else {
            emit(run)
        }
        return end
    }

    /// `A.M.` → `[A, M]`: two or more single letters, each followed by a dot (the last dot optional), and
    /// the index after them; nil for anything else.
    static func dottedLetters(_ t: [Character], at start: Int) -> ([Character], Int)? {
        var letters: [Character] = []
        var j = start
        while j < t.count, t[j].isLetter, j + 1 == t.count || !t[j + 1].isLetter {
            letters.append(t[j])
            j += 1
            guard j < t.count, t[j] == "." else { break }
            j += 1
        }
        return letters.count >= 2 ? (letters, j) : nil
    }

    /// The letters of `run` when it is an acronym read letter by letter (`PBX` → `P B X`, `CDs` → `C D s`,
    /// `PBX's` → `P B X's`), else nil. An acronym is 2–5 capital letters A–Z that are not in
    /// `wordsInCapitals`; of 4 or 5 letters, it has at most one vowel A E I O U (`HTML`, `MISDN`, but not
    /// `LITE`, `ROMEO`: capitals with more vowels are mostly emphasised or shouted words); in shouted text
    /// it must have no vowel (A E I O U Y) at all. Capitals joined by `&` are always letters (`AT&T`).
    func acronymLetters(_ run: String, joinedByAmpersand: Bool = false) -> [String]? {
        var core = Substring(run), suffix = ""
        if core.hasSuffix("'s") || core.hasSuffix("'S") {
            suffix = String(core.suffix(2))
            core = core.dropLast(2)
        } else if core.count > 2, core.last == "s" {
            suffix = "s"
            core = core.dropLast()
        }
        guard (2...5).contains(core.count), core.allSatisfy({ $0.isASCII && $0.isUppercase }),
            joinedByAmpersand || !normalizer.wordsInCapitals.contains(String(core)),
            joinedByAmpersand || !shouting || !core.contains(where: { "AEIOUY".contains($0) }),
            joinedByAmpersand || core.count <= 3 || core.count(where: { "AEIOU".contains($0) }) <= 1
        else { return nil }
        var letters = core.map { String($0) }
        switch suffix {
        case "s": letters.append("s")
        case "": break
        default: letters[letters.count - 1] += suffix
        }
        return letters
    }

    /// `0`…`9` (digits of other scripts are not spelled out).
    static func isDigit(_ c: Character) -> Bool { c.asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }

    static func isLetterOrNumber(_ c: Character) -> Bool { c.isLetter || c.isNumber }
}
