import EarshotDecoding
import EarshotTestSupport
import Foundation
import Testing

/// `earshot lm build` learns whole words only: accented letters fold to their base letters (`café` →
/// `cafe`), a word with any other character outside the alphabet is left out whole and counted; text that
/// is not UTF-8, or that is mostly not words at all, is an error naming the file and the line.
@Suite struct LanguageModelBuildCommandTests {
    static let timeout: TimeInterval = 60

    /// Runs `lm build` on `text` (written to `corpus.txt`); returns the result and the ARPA model, if written.
    static func build(_ text: Data, in directory: URL, order: Int = 2) throws -> (CommandResult, ARPALanguageModel?) {
        let corpus = directory.appendingPathComponent("corpus.txt")
        try text.write(to: corpus)
        let output = directory.appendingPathComponent("lm.arpa").path
        let result = try CommandRunner.run(
            "earshot", ["lm", "build", corpus.path, "-o", output, "--order", "\(order)"], timeout: timeout)
        let model =
            FileManager.default.fileExists(atPath: output)
            ? try ARPALanguageModel(contentsOfFile: output) : nil
        return (result, model)
    }

    @Test func accentedLettersFoldAndOtherWordsAreDroppedWhole() throws {
        try withTemporaryDirectory { directory in
            let text = "a café au lait\nthe naïve reader\nsay Σωκράτης twice\nplain words here\n"
            let (result, model) = try Self.build(Data(text.utf8), in: directory)
            #expect(result.status == 0, "\(result.stderr)")
            let vocabulary = Set(try #require(model).vocabulary)
            for word in ["cafe", "naive", "say", "twice", "au", "lait"] {
                #expect(vocabulary.contains(word), "\(word) is missing")
            }
            for fragment in ["caf", "na", "ve", ""] {
                #expect(!vocabulary.contains(fragment), "the fragment '\(fragment)' is a word")
            }
            #expect(!vocabulary.contains(where: { $0.contains("σ") || $0.contains("ω") }))
            #expect(
                result.stderr.contains(
                    "corpus.txt: left out 1 word with characters outside the alphabet (the first: 'σωκράτης', line 3)"),
                "\(result.stderr)")
        }
    }

    @Test func invalidUTF8IsAnErrorNamingTheLineAndByte() throws {
        try withTemporaryDirectory { directory in
            var text = Data("first line\nsecond line\nthird ".utf8)
            text.append(contentsOf: [0xC3, 0x28])  // a lead byte followed by no continuation byte
            text.append(contentsOf: Array(" line\n".utf8))
            let (result, model) = try Self.build(text, in: directory)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(model == nil)
            #expect(
                result.stderr.contains("corpus.txt:3: not UTF-8 text (an invalid byte at offset 29 of the file)"),
                "\(result.stderr)")
        }
    }

    @Test func binaryJunkIsAnError() throws {
        try withTemporaryDirectory { directory in
            var generator = SystemRandomNumberGenerator()
            let junk = Data((0..<1_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let (result, model) = try Self.build(junk, in: directory)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(model == nil)
            #expect(result.stderr.contains("not UTF-8 text"), "\(result.stderr)")
        }
    }

    /// Valid UTF-8 that is mostly not words in the alphabet: more than half of the lines give none.
    @Test func textThatIsMostlyNotWordsIsAnError() throws {
        try withTemporaryDirectory { directory in
            let text = "hello there\n日本語のテキスト\n— ☺ ☺ —\nΣωκράτης\n"
            let (result, model) = try Self.build(Data(text.utf8), in: directory)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(model == nil)
            #expect(
                result.stderr.contains("corpus.txt: 3 of 4 lines give no word in the alphabet (the first: line 2)"),
                "\(result.stderr)")
        }
    }

    @Test func aLineLongerThanTheLimitIsAnError() throws {
        try withTemporaryDirectory { directory in
            let text = "one line\n" + String(repeating: "word ", count: 300_000) + "\nlast line\n"
            let (result, model) = try Self.build(Data(text.utf8), in: directory)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(model == nil)
            #expect(
                result.stderr.contains("corpus.txt:2: the line is longer than the limit of 1048576 bytes"),
                "\(result.stderr)")
        }
    }
}
