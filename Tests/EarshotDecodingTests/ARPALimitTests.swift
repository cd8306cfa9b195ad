import EarshotDecoding
import EarshotTestSupport
import Foundation
import Testing

/// The counts of `\data\` cannot make the reader reserve more than the file can hold: a header claiming
/// a trillion n-grams is an error naming the file and the count line, not an allocation that aborts.
@Suite struct ARPALimitTests {
    /// A valid file's body after its `\data\` counts: two unigrams.
    static let body = """

        \\1-grams:
        -0.5\t<s>
        -0.5\tword

        \\end\\

        """

    @Test func aCountBeyondTheLimitIsRefusedAtItsLine() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("huge.arpa").path
            try ("\\data\\\nngram 1=999999999999\n" + Self.body).write(toFile: path, atomically: true, encoding: .utf8)
            let error = try #require(throws: ARPAError.self) { try ARPALanguageModel(contentsOfFile: path) }
            #expect(error.file == path)
            #expect(error.line == 2)
            #expect(
                error.description
                    == "\(path):2: \\data\\ declares 999999999999 n-grams in all; at most 134217728 are supported")
        }
    }

    @Test func aCountTheFileCannotHoldIsRefusedBeforeAnythingIsReserved() throws {
        let text = "\\data\\\nngram 1=2\nngram 2=1000000\n" + Self.body
        let error = try #require(throws: ARPAError.self) { try ARPALanguageModel(parsing: text, name: "lm.arpa") }
        #expect(error.line == 3)
        #expect(
            error.reason
                == .countBeyondFile(
                    order: 2, declared: 1_000_000, minimumBytes: 2 * 4 + 1_000_000 * 6, fileBytes: text.utf8.count))
        #expect(
            error.description.hasPrefix("lm.arpa:3: \\data\\ declares ngram 2=1000000, more than the file can hold"))
    }

    @Test func anOrderAboveTheMaximumIsRefused() throws {
        let counts = (1...11).map { "ngram \($0)=0" }.joined(separator: "\n")
        let error = try #require(throws: ARPAError.self) {
            try ARPALanguageModel(parsing: "\\data\\\n" + counts + "\n" + Self.body, name: "deep.arpa")
        }
        #expect(error.line == 12)
        #expect(error.description == "deep.arpa:12: \\data\\ declares order 11; at most 10 is supported")
    }

    /// Counts the file can hold still parse (the bound is the least an entry can take, not a typical one).
    @Test func theSmallestEntriesTheBoundAllowsParse() throws {
        let model = try ARPALanguageModel(parsing: "\\data\\\nngram 1=2\n\\1-grams:\n0 a\n0 b\n\\end\\\n")
        #expect(model.counts == [2])
    }
}
