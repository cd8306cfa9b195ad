import EarshotDecoding
import Testing

/// The highest order an ARPA file may declare is `ARPALanguageModel.maximumOrder` (10; the model stores each
/// n-gram's order in a byte). A file declaring 256 orders used to pass the header and trap (integer
/// conversion) at its first 256-gram (found by fuzzing); it is now refused at its header.
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

    @Test func aModelOfTheHighestOrderLoads() throws {
        let model = try ARPALanguageModel(parsing: Self.model(order: ARPALanguageModel.maximumOrder))
        #expect(model.order == ARPALanguageModel.maximumOrder)
    }

    @Test func a256OrderModelIsRefusedAtItsHeader() {
        // Line 12: `\data\`, then `ngram 1=1` … `ngram 10=0`, then `ngram 11=0`, the first order too many.
        let error = #expect(throws: ARPAError.self) { try ARPALanguageModel(parsing: Self.model(order: 256)) }
        #expect(error?.line == 12)
    }
}
