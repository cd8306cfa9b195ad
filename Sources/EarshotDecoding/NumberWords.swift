/// Numbers as the words an American English speaker says for them, lowercase, without "and" and without
/// hyphens: 162 → `one hundred sixty two`, 2009 → `two thousand nine`, 22 → `twenty second` (ordinal).
///
/// These are the spellings of the project's transcripts (Tests/EarshotDecodingTests/Fixtures/README.md); `TextNormalizer` decides which reading
/// a number in text gets (cardinal, ordinal, year, digit by digit) and calls these.
public enum NumberWords {
    /// The largest number `cardinal` and `ordinal` spell: 10^15 − 1 (999 trillion…). Longer digit strings
    /// are read digit by digit.
    public static let largest = 999_999_999_999_999

    static let ones = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    static let scales = ["", "thousand", "million", "billion", "trillion"]

    /// The cardinal words of `n`: 0 → `zero`, 1 000 005 → `one million five`.
    /// - Precondition: `0 <= n <= largest`.
    public static func cardinal(_ n: Int) -> String { cardinalWords(n).joined(separator: " ") }

    /// The ordinal words of `n`: 1 → `first`, 22 → `twenty second`, 100 → `one hundredth`.
    /// - Precondition: `0 <= n <= largest`.
    public static func ordinal(_ n: Int) -> String { ordinalWords(n).joined(separator: " ") }

    /// A year read as two pairs of digits, the way years before 2000 are said: 1999 → `nineteen ninety nine`,
    /// 1905 → `nineteen oh five`, 1900 → `nineteen hundred`. Numbers outside 1100…1999 get `cardinal`, which
    /// is also how 2000–2009 are said (`two thousand nine`) and a common reading of later years.
    public static func year(_ n: Int) -> String { yearWords(n).joined(separator: " ") }

    /// Each digit of `digits` as a word: `"007"` → `zero zero seven`. Non-digits are skipped.
    public static func digitByDigit<S: StringProtocol>(_ digits: S) -> String {
        digitWords(digits).joined(separator: " ")
    }

    // MARK: - Word lists (used by `TextNormalizer`)

    static func cardinalWords(_ n: Int) -> [String] {
        precondition(n >= 0 && n <= largest, "\(n) is outside 0…\(largest)")
        if n == 0 { return ["zero"] }
        var groups: [Int] = []  // thousands groups, least significant first
        var rest = n
        while rest > 0 {
            groups.append(rest % 1000)
            rest /= 1000
        }
        var words: [String] = []
        for (scale, group) in groups.enumerated().reversed() where group > 0 {
            words += belowThousand(group)
            if scale > 0 { words.append(scales[scale]) }
        }
        return words
    }

    /// 1…999 in words.
    static func belowThousand(_ n: Int) -> [String] {
        var words: [String] = []
        if n >= 100 { words += [ones[n / 100], "hundred"] }
        let r = n % 100
        if r >= 20 {
            words.append(tens[r / 10])
            if r % 10 > 0 { words.append(ones[r % 10]) }
        } else if r > 0 {
            words.append(ones[r])
        }
        return words
    }

    static func ordinalWords(_ n: Int) -> [String] {
        var words = cardinalWords(n)
        words[words.count - 1] = ordinalWord(words[words.count - 1])
        return words
    }

    /// The ordinal of one cardinal word: `one` → `first`, `twenty` → `twentieth`, `seven` → `seventh`.
    static func ordinalWord(_ word: String) -> String {
        switch word {
        case "one": return "first"
        case "two": return "second"
        case "three": return "third"
        case "five": return "fifth"
        case "eight": return "eighth"
        case "nine": return "ninth"
        case "twelve": return "twelfth"
        default:
            if word.hasSuffix("y") { return word.dropLast() + "ieth" }
            return word + "th"
        }
    }

    /// The plural of one number word, for decades and the like: `twenty` → `twenties`, `six` → `sixes`.
    static func pluralWord(_ word: String) -> String {
        if word.hasSuffix("y") { return word.dropLast() + "ies" }
        if word.hasSuffix("x") { return word + "es" }
        return word + "s"
    }

    static func yearWords(_ n: Int) -> [String] {
        guard (1100...1999).contains(n) else { return cardinalWords(n) }
        let high = n / 100, low = n % 100
        if low == 0 { return belowThousand(high) + ["hundred"] }
        if low < 10 { return belowThousand(high) + ["oh", ones[low]] }
        return belowThousand(high) + belowThousand(low)
    }

    static func digitWords<S: StringProtocol>(_ digits: S) -> [String] {
        digits.compactMap { c in c.isASCII ? c.wholeNumberValue.map { ones[$0] } : nil }
    }
}
