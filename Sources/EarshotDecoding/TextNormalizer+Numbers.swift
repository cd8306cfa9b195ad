/// Numbers in text (rule 3 of `TextNormalizer`): which reading a digit string gets, from what surrounds it.
extension TokenExpander {
    /// The most digits a number written without thousands separators may have to be read as a cardinal
    /// (999999 → `nine hundred ninety nine thousand…`); longer ones are phone numbers or codes and are read
    /// digit by digit. With separators (`1,000,000`) up to 15 digits are cardinals.
    static let longestCardinal = 6

    /// What follows the digits of an integer and changes how its last word is said.
    enum NumberSuffix { case none, ordinal, plural }

    /// Reads the number whose first digit is at `start`, with its thousands groups (`1,500`), fraction
    /// (`2.5`), minutes (`10:30`) or suffix (`22nd`, `1990s`, `90's`), and appends its words; a currency
    /// number (after `$`) gets `dollars`/`cents`. Returns the index after what was read.
    mutating func number(_ t: [Character], at start: Int, currency: Bool, next: Substring?) -> Int {
        var j = start
        var digits = ""
        while j < t.count, Self.isDigit(t[j]) {
            digits.append(t[j])
            j += 1
        }
        // Thousands separators: groups of exactly three digits after a first group of one to three.
        var grouped = false
        if digits.count <= 3, digits.first != "0" {
            while j + 3 < t.count, t[j] == ",", Self.isDigit(t[j + 1]), Self.isDigit(t[j + 2]),
                Self.isDigit(t[j + 3]), j + 4 == t.count || !Self.isDigit(t[j + 4])
            {
                digits += String(t[j + 1...j + 3])
                j += 4
                grouped = true
            }
        }
        if !grouped, !currency, let (hour, minutes) = Self.clockTime(digits, t, at: j) {
            j += 3
            let meridiem = Self.meridiemFollows(t, at: j, next: next)
            emitNumber(Self.timeWords(hour: hour, minutes: minutes, meridiem: meridiem))
            return j
        }
        var fraction: String? = nil
        if j + 1 < t.count, t[j] == ".", Self.isDigit(t[j + 1]) {
            j += 1
            var f = ""
            while j < t.count, Self.isDigit(t[j]) {
                f.append(t[j])
                j += 1
            }
            fraction = f
        }
        var suffix = NumberSuffix.none
        if fraction == nil, !currency {
            (suffix, j) = Self.suffix(t, at: j)
        }

        var words = integerWords(digits, grouped: grouped, suffix: suffix)
        switch (currency, fraction) {
        case (false, nil):
            break
        case (false, let fraction?):
            words += ["point"] + NumberWords.digitWords(fraction)
        case (true, nil):
            words.append(digits == "1" ? "dollar" : "dollars")
        case (true, let fraction?):
            words = Self.dollarWords(integerWords: words, integer: Int(digits), fraction: fraction)
        }
        emitNumber(words)
        return j
    }

    /// The words of the digits of an integer: digit by digit with a leading zero, or when longer than
    /// `longestCardinal` digits without thousands separators (phone numbers, codes: `5551234`); a year for
    /// plain 1100…1999 (when `readsYears`); else the cardinal. The suffix changes the last word.
    func integerWords(_ digits: String, grouped: Bool, suffix: NumberSuffix) -> [String] {
        var words: [String]
        if (digits.count > 1 && digits.first == "0") || digits.count > 15
            || (!grouped && digits.count > Self.longestCardinal)
        {
            words = NumberWords.digitWords(digits)
        } else if normalizer.readsYears, !grouped, suffix != .ordinal, digits.count == 4, let n = Int(digits),
            (1100...1999).contains(n)
        {
            words = NumberWords.yearWords(n)
        } else {
            words = NumberWords.cardinalWords(Int(digits)!)
        }
        switch suffix {
        case .none: break
        case .ordinal: words[words.count - 1] = NumberWords.ordinalWord(words[words.count - 1])
        case .plural: words[words.count - 1] = NumberWords.pluralWord(words[words.count - 1])
        }
        return words
    }

    /// An ordinal (`st`, `nd`, `rd`, `th`) or plural (`s`, `'s`) suffix at `j` that ends the letters there,
    /// and the index after it.
    static func suffix(_ t: [Character], at j: Int) -> (NumberSuffix, Int) {
        var end = j
        while end < t.count, t[end].isLetter { end += 1 }
        switch String(t[j..<end]).lowercased() {
        case "st", "nd", "rd", "th": return (.ordinal, end)
        case "s": return (.plural, end)
        case "":
            if j + 1 < t.count, t[j] == "'", t[j + 1] == "s" || t[j + 1] == "S",
                j + 2 == t.count || !t[j + 2].isLetter
            {
                return (.plural, j + 2)
            }
            return (.none, j)
        default: return (.none, j)
        }
    }

    /// Hour and minutes when `hourDigits` and `:MM` at `j` form a time of day (hour ≤ 24, minutes < 60).
    static func clockTime(_ hourDigits: String, _ t: [Character], at j: Int) -> (Int, Int)? {
        guard hourDigits.count <= 2, let hour = Int(hourDigits), hour <= 24, j + 2 < t.count, t[j] == ":",
            Self.isDigit(t[j + 1]), Self.isDigit(t[j + 2]), j + 3 == t.count || !Self.isDigit(t[j + 3]),
            let minutes = Int(String(t[j + 1...j + 2])), minutes < 60
        else { return nil }
        return (hour, minutes)
    }

    /// `10:30` → `ten thirty`, `10:05` → `ten oh five`, `10:00` → `ten o'clock`, or just `ten` when am/pm
    /// follows (`10:00 am` → `ten a m`).
    static func timeWords(hour: Int, minutes: Int, meridiem: Bool) -> [String] {
        let words = NumberWords.cardinalWords(hour)
        switch minutes {
        case 0: return meridiem ? words : words + ["o'clock"]
        case 1..<10: return words + ["oh", NumberWords.ones[minutes]]
        default: return words + NumberWords.cardinalWords(minutes)
        }
    }

    /// Whether the letters right after `j` spell `am` or `pm`, or, when the number ends its token, those of
    /// the next token.
    static func meridiemFollows(_ t: [Character], at j: Int, next: Substring?) -> Bool {
        var letters = String(t[j...].filter(\.isLetter)).lowercased()
        if j == t.count, let next { letters = String(next.filter(\.isLetter)).lowercased() }
        return letters == "am" || letters == "pm"
    }

    /// `$5.50` → `five dollars fifty cents`, `$0.99` → `ninety nine cents`, `$1.00` → `one dollar`;
    /// a fraction of other than two digits is a decimal: `$2.5` → `two point five dollars`.
    static func dollarWords(integerWords: [String], integer: Int?, fraction: String) -> [String] {
        guard fraction.count == 2, let cents = Int(fraction), let integer else {
            return integerWords + ["point"] + NumberWords.digitWords(fraction) + ["dollars"]
        }
        var words: [String] = []
        if integer > 0 || cents == 0 { words += integerWords + [integer == 1 ? "dollar" : "dollars"] }
        if cents > 0 { words += NumberWords.cardinalWords(cents) + [cents == 1 ? "cent" : "cents"] }
        return words
    }
}
