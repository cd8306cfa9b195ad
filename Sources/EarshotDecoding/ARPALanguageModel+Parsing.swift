import EarshotIO
import Foundation

/// Reading the ARPA format:
///
///     \data\
///     ngram 1=5
///     ngram 2=3
///
///     \1-grams:
///     -1.2041  <s>   -0.3010          log10 p, the words, and (below the highest order) an optional log10 b
///     -0.7782  the   -0.2218
///     …
///     \2-grams:
///     -0.3010  <s> the
///     …
///     \end\
///
/// Lines before `\data\` are ignored (some tools write a comment there), blank lines anywhere are ignored, fields
/// are separated by spaces or tabs, and anything after `\end\` is ignored. Every other deviation is an
/// `ARPAError` naming the file and the line. The counts of `\data\` are checked against
/// `ARPALanguageModel.maximumOrder`, `maximumNGramCount` and the size of the file before any memory is
/// reserved for them, so a header's claims cannot exhaust memory.
extension ARPALanguageModel {
    /// Loads the ARPA file at `path`.
    public init(contentsOfFile path: String) throws {
        let data: Data
        do {
            data = try FileContents.read(path: path)
        } catch {
            throw ARPAError(file: path, line: 0, reason: .unreadable(error.message))
        }
        try self.init(bytes: [UInt8](data), name: path)
    }

    /// Parses ARPA text; `name` is the file name errors report.
    public init(parsing text: String, name: String = "<string>") throws {
        try self.init(bytes: Array(text.utf8), name: name)
    }

    init(bytes: [UInt8], name: String) throws {
        var parser = ARPAParser(bytes: bytes, name: name)
        try parser.parse()
        let b = parser.builder
        self.init(
            order: parser.declared.count, counts: parser.declared, vocabulary: b.vocabulary, wordIDs: b.wordIDs,
            logProbabilities: b.logProbabilities, backoffs: b.backoffs, suffixes: b.suffixes, orders: b.orders,
            contexts: b.contexts, lastWords: b.lastWords, table: b.table)
    }
}

/// The model's arrays while they are being filled, with the lookups the parser needs.
struct ARPABuilder {
    static let ln10 = Float(2.302585092994046)

    var vocabulary: [String] = []
    var wordIDs: [String: Int32] = [:]
    var logProbabilities: [Float] = []
    var backoffs: [Float] = []
    var suffixes: [Int32] = []
    var orders: [UInt8] = []
    var contexts: [Int32] = []
    var lastWords: [Int32] = []
    var table = ARPANGramTable(expectedCount: 0)
    /// The same word ids as `wordIDs`, looked up by bytes (`ARPAWordIndex`): what the parser uses per n-gram.
    var wordIndex = ARPAWordIndex(expectedCount: 0)

    mutating func reserve(_ total: Int, unigrams: Int, higherOrders: Int) {
        reserveArrays(total)
        table = ARPANGramTable(expectedCount: higherOrders)
        wordIndex = ARPAWordIndex(expectedCount: unigrams + 1)
    }

    private mutating func reserveArrays(_ n: Int) {
        logProbabilities.reserveCapacity(n)
        backoffs.reserveCapacity(n)
        suffixes.reserveCapacity(n)
        orders.reserveCapacity(n)
        contexts.reserveCapacity(n)
        lastWords.reserveCapacity(n)
    }

    /// Appends the unigram `bytes[range]` (natural-log values); its n-gram id equals its new word id. Returns nil
    /// (and changes nothing) when the word is already there: the same bytes, or a `String` equal to it.
    @discardableResult
    mutating func addUnigram(_ bytes: [UInt8], _ range: Range<Int>, logProbability: Float, backoff: Float) -> Int32? {
        let word = String(decoding: bytes[range], as: UTF8.self)
        guard wordIDs[word] == nil, let id = wordIndex.insert(bytes, range) else { return nil }
        precondition(
            Int(id) == vocabulary.count && Int(id) == logProbabilities.count,
            "unigrams must come before higher orders")
        vocabulary.append(word)
        wordIDs[word] = id
        append(logProbability: logProbability, backoff: backoff, suffix: -1, order: 1, context: -1, last: id)
        return id
    }

    /// The word id of `bytes[range]`, or −1: by bytes, else (rarely: a spelling that differs in bytes but not
    /// as a Swift `String`, such as a decomposed accent) by `String`, as a dictionary of words would find it.
    @inline(__always)
    func wordID(_ bytes: [UInt8], _ range: Range<Int>) -> Int32 {
        let id = wordIndex.find(bytes, range)
        return id >= 0 ? id : wordIDs[String(decoding: bytes[range], as: UTF8.self)] ?? -1
    }

    private mutating func append(
        logProbability: Float, backoff: Float, suffix: Int32, order: Int, context: Int32, last: Int32
    ) {
        logProbabilities.append(logProbability)
        backoffs.append(backoff)
        suffixes.append(suffix)
        orders.append(UInt8(order))
        contexts.append(context)
        lastWords.append(last)
    }

    /// Adds the n-gram `words` (order ≥ 2); returns false when it is already present. Missing contexts are
    /// created first (see `context(of:)`).
    mutating func addNGram(_ words: [Int32], logProbability: Float, backoff: Float) -> Bool {
        let context = self.context(of: words.dropLast())
        let id = Int32(logProbabilities.count)
        guard table.insert(context: context, word: words[words.count - 1], id: id) else { return false }
        append(
            logProbability: logProbability, backoff: backoff, suffix: Self.longestSuffix(words.dropFirst(), in: table),
            order: words.count, context: context, last: words[words.count - 1])
        return true
    }

    /// The id of the n-gram `words`, adding it (and, recursively, its own context) when the file did not list it:
    /// its probability is what back-off gives it and its back-off is 1, so no probability changes.
    private mutating func context(of words: ArraySlice<Int32>) -> Int32 {
        var id = words[words.startIndex]
        for k in words.indices.dropFirst() {
            let found = table.find(context: id, word: words[k])
            if found >= 0 {
                id = found
                continue
            }
            let new = Int32(logProbabilities.count)
            let p = score(word: words[k], context: id)
            _ = table.insert(context: id, word: words[k], id: new)
            append(
                logProbability: p, backoff: 0, suffix: Self.longestSuffix(words[(words.startIndex + 1)...k], in: table),
                order: k - words.startIndex + 1, context: id, last: words[k])
            id = new
        }
        return id
    }

    /// The id of the longest listed suffix of `words` (the last word alone at worst: every word is a unigram).
    /// Static, as the parser's other helpers: a method called from a `mutating` one copied the whole builder.
    static func longestSuffix(_ words: ArraySlice<Int32>, in table: ARPANGramTable) -> Int32 {
        guard !words.isEmpty else { return -1 }
        for start in words.indices {
            var id = words[start]
            for k in (start + 1)..<words.endIndex {
                id = table.find(context: id, word: words[k])
                if id < 0 { break }
            }
            if id >= 0 { return id }
        }
        return -1
    }

    /// ln P(word | context) with back-off over what is loaded so far.
    func score(word: Int32, context start: Int32) -> Float {
        var context = start
        var backoff: Float = 0
        while context >= 0 {
            let id = table.find(context: context, word: word)
            if id >= 0 { return backoff + logProbabilities[Int(id)] }
            backoff += backoffs[Int(context)]
            context = suffixes[Int(context)]
        }
        return backoff + logProbabilities[Int(word)]
    }
}

/// A line-by-line reader of ARPA bytes into an `ARPABuilder`.
struct ARPAParser {
    let bytes: [UInt8]
    let name: String
    var builder = ARPABuilder()
    /// Declared counts, index 0 = unigrams.
    var declared: [Int] = []

    private var position = 0
    private var lineNumber = 0

    /// The highest order read: the model keeps each n-gram's order in a `UInt8`.
    static let maximumOrder = Int(UInt8.max)

    init(bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    private func error(_ reason: ARPAError.Reason, line: Int? = nil) -> ARPAError {
        ARPAError(file: name, line: line ?? lineNumber, reason: reason)
    }

    /// The next line without its line break and surrounding blanks, or nil at the end of the bytes.
    private mutating func nextLine() -> Range<Int>? {
        guard position < bytes.count else { return nil }
        lineNumber += 1
        var end = position
        while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        var lower = position, upper = end
        position = end + 1
        while lower < upper && Self.isBlank(bytes[lower]) { lower += 1 }
        while upper > lower && Self.isBlank(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// The blank-separated fields of `line`.
    private static func fields(_ bytes: [UInt8], _ line: Range<Int>, into result: inout [Range<Int>]) {
        result.removeAll(keepingCapacity: true)
        var i = line.lowerBound
        while i < line.upperBound {
            while i < line.upperBound && Self.isBlank(bytes[i]) { i += 1 }
            let start = i
            while i < line.upperBound && !Self.isBlank(bytes[i]) { i += 1 }
            if i > start { result.append(start..<i) }
        }
    }

    /// A log10 value as a natural log; nil unless the whole field is a number that is not NaN or +∞.
    /// (Static, with the bytes passed in, like `fields`: a method called from the `mutating` `parse()` copied the
    /// parser, builder and all, for every call.)
    private static func number(_ bytes: [UInt8], _ range: Range<Int>) -> Float? {
        guard !range.isEmpty, range.count < 64 else { return nil }
        if let value = plainDecimal(bytes, range) { return Float(value) * ARPABuilder.ln10 }
        return parsedByStrtod(bytes, range)
    }

    /// The value of `[+-]digits[.digits]` when it is exact to compute in doubles, else nil: with at most 2⁵³ as
    /// the digits read as an integer m and at most 22 digits after the point (k), m and 10^k are exact doubles and
    /// m / 10^k is one correctly rounded division — the very double `strtod` returns (Clinger's fast path). Every
    /// value a KenLM or `earshot lm build` ARPA file holds (`-1.234567`) takes this path; anything else
    /// (exponents, `inf`, long mantissas) goes to `strtod`.
    @inline(__always)
    static func plainDecimal(_ bytes: [UInt8], _ range: Range<Int>) -> Double? {
        var i = range.lowerBound
        var negative = false
        if i < range.upperBound && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0
        var point = false
        while i < range.upperBound {
            let byte = bytes[i]
            if byte == UInt8(ascii: ".") && !point {
                point = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                guard mantissa <= 1 << 53 else { return nil }
                digits += 1
                if point { fractionDigits += 1 }
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, fractionDigits < powersOfTen.count else { return nil }
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    /// 10⁰ … 10²², each exact in a double.
    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }

    /// `number(_:)` for what `plainDecimal` leaves: `strtod` on the field.
    private static func parsedByStrtod(_ bytes: [UInt8], _ range: Range<Int>) -> Float? {
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: range.count + 1) { buffer -> Float? in
            for (k, i) in range.enumerated() { buffer[k] = CChar(bitPattern: bytes[i]) }
            buffer[range.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard end == buffer.baseAddress! + range.count, !value.isNaN, value != .infinity else { return nil }
            return Float(value) * ARPABuilder.ln10
        }
    }

    /// Checks the counts of `\data\` read so far against the limits, before anything is reserved for them:
    /// 1. the order is at most `ARPALanguageModel.maximumOrder`;
    /// 2. the n-grams in all are at most `ARPALanguageModel.maximumNGramCount`;
    /// 3. the file can hold them: an n-gram entry of order n takes at least 2n + 2 bytes (a one-character
    ///    probability, n one-character words, the blanks between them and the line break).
    private func checkDeclaredCounts() throws(ARPAError) {
        let order = declared.count, count = declared[order - 1]
        guard order <= ARPALanguageModel.maximumOrder else {
            throw error(
                .beyondLimit(
                    "\\data\\ declares order \(order); at most \(ARPALanguageModel.maximumOrder) is supported"))
        }
        let total = declared.reduce(0) { $0.addingReportingOverflow($1).overflow ? .max : $0 + $1 }
        guard total <= ARPALanguageModel.maximumNGramCount else {
            throw error(
                .beyondLimit(
                    "\\data\\ declares \(total) n-grams in all; at most \(ARPALanguageModel.maximumNGramCount) "
                        + "are supported"))
        }
        let minimumBytes = declared.enumerated().reduce(0) { bytes, entry in
            bytes + entry.element * (2 * (entry.offset + 1) + 2)
        }
        guard minimumBytes <= bytes.count else {
            throw error(
                .countBeyondFile(order: order, declared: count, minimumBytes: minimumBytes, fileBytes: bytes.count))
        }
    }

    /// The order N of a `\N-grams:` header, or nil.
    private func sectionOrder(_ line: Range<Int>) -> Int? {
        let t = text(line)
        guard t.hasPrefix("\\"), t.hasSuffix("-grams:") else { return nil }
        return Int(t.dropFirst().dropLast("-grams:".count))
    }

    mutating func parse() throws {
        // 1. Anything up to `\data\`.
        while true {
            guard let line = nextLine() else { throw error(.missingHeader, line: max(1, lineNumber)) }
            let t = text(line)
            if t == "\\data\\" { break }
            if t.hasPrefix("\\") { throw error(.missingHeader) }
        }
        // 2. The counts, up to the first section header.
        var header: Range<Int>?
        while let line = nextLine() {
            if line.isEmpty { continue }
            if bytes[line.lowerBound] == UInt8(ascii: "\\") {
                header = line
                break
            }
            let t = text(line)
            guard t.hasPrefix("ngram") else { throw error(.badCountLine(t)) }
            let spec = t.dropFirst("ngram".count).filter { $0 != " " && $0 != "\t" }
            let parts = spec.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, let n = Int(parts[0]), let count = Int(parts[1]), n == declared.count + 1,
                n <= Self.maximumOrder, count >= 0
            else { throw error(.badCountLine(t)) }
            declared.append(count)
            try checkDeclaredCounts()
        }
        guard let firstHeader = header else { throw error(.missingEnd, line: max(1, lineNumber)) }
        guard !declared.isEmpty else { throw error(.badCountLine(text(firstHeader))) }
        builder.reserve(declared.reduce(0, +), unigrams: declared[0], higherOrders: declared.dropFirst().reduce(0, +))

        // 3. The sections, in order, then `\end\`.
        var order = 0  // the section being read; 0 before the first
        var found = 0
        var fieldRanges: [Range<Int>] = []
        var words: [Int32] = []
        var line = firstHeader
        while true {
            if !line.isEmpty && bytes[line.lowerBound] == UInt8(ascii: "\\") {
                // A header: close the current section, check the counts, open the next.
                if order > 0 && found != declared[order - 1] {
                    throw error(.countMismatch(order: order, declared: declared[order - 1], found: found))
                }
                let isEnd = text(line) == "\\end\\"
                if (order == 1 || (order == 0 && isEnd)) && builder.wordIDs["<unk>"] == nil {
                    // A closed-vocabulary model: give unknown words KenLM's log10 p = −100 (a unigram, so
                    // added before the higher orders: unigram ids must equal word ids). Also when `\end\`
                    // comes before any section (`ngram 1=0`): every word is then unknown.
                    let unknown = Array("<unk>".utf8)
                    builder.addUnigram(unknown, unknown.indices, logProbability: -100 * ARPABuilder.ln10, backoff: 0)
                }
                if isEnd {
                    if let missing = (order..<declared.count).first(where: { declared[$0] > 0 }) {
                        throw error(.countMismatch(order: missing + 1, declared: declared[missing], found: 0))
                    }
                    return
                }
                guard let n = sectionOrder(line), n == order + 1, n <= declared.count else {
                    throw error(.unknownSection(text(line)))
                }
                order = n
                found = 0
            } else if !line.isEmpty {
                guard order > 0 else { throw error(.unknownSection(text(line))) }
                Self.fields(bytes, line, into: &fieldRanges)
                let extra = fieldRanges.count - 1
                guard extra == order || (extra == order + 1 && order < declared.count) else {
                    throw error(.wrongWordCount(order: order, found: extra))
                }
                guard let p = Self.number(bytes, fieldRanges[0]) else { throw error(.badNumber(text(fieldRanges[0]))) }
                var b: Float = 0
                if extra == order + 1 {
                    guard let value = Self.number(bytes, fieldRanges[order + 1]) else {
                        throw error(.badNumber(text(fieldRanges[order + 1])))
                    }
                    b = value
                }
                if order == 1 {
                    guard builder.addUnigram(bytes, fieldRanges[1], logProbability: p, backoff: b) != nil else {
                        throw error(.duplicateNGram(text(fieldRanges[1])))
                    }
                } else {
                    words.removeAll(keepingCapacity: true)
                    for k in 1...order {
                        let id = builder.wordID(bytes, fieldRanges[k])
                        guard id >= 0 else { throw error(.wordNotInUnigrams(text(fieldRanges[k]))) }
                        words.append(id)
                    }
                    guard builder.addNGram(words, logProbability: p, backoff: b) else {
                        throw error(.duplicateNGram(fieldRanges[1...order].map(text).joined(separator: " ")))
                    }
                }
                found += 1
            }
            guard let next = nextLine() else { throw error(.missingEnd, line: max(1, lineNumber)) }
            line = next
        }
    }
}
