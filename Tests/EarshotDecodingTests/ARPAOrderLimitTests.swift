import EarshotDecoding
import Testing

/// The highest order an ARPA file may declare: 255, the most the model stores (each n-gram's order is a byte).
/// A file declaring 256 orders used to pass the header and trap (integer conversion) at its first 256-gram.
@Suite struct ARPAOrderLimitTests {
    /// An ARPA model of `order` orders: one unigram `a`, empty sections up to the last, which holds the single
    /// n-gram `a a … a` (its missing contexts are filled in by back-off while loading).
    static func model(order: Int) -> String {
        var lines = ["\\data\\", "ngram 1=1"]
        lines += (2...order).map { "ngram \($0)=\($0 == order ? 1 : 0)" }
        lines += ["", "\\1-grams:", "-1 a"]
        lines += (2..<order).map { "\\\($0)-grams:" }
        lines += ["\\\(order)-grams:", "-1 " + Array(repeating: "a", count: order).joined(separator: " "), "\\end\\"]
        return lines.joined(separator: "\n")
    }

    @Test func aModelOf255OrdersLoads() throws {
        let model = try ARPALanguageModel(parsing: Self.model(order: 255))
        #expect(model.order == 255)
    }

    @Test func a256thOrderIsABadCountLine() {
        // Line 257: `\data\`, then `ngram 1=1` … `ngram 256=1`.
        #expect(throws: ARPAError(file: "<string>", line: 257, reason: .badCountLine("ngram 256=1"))) {
            try ARPALanguageModel(parsing: Self.model(order: 256))
        }
    }
}
