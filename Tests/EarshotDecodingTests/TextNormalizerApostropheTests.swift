import EarshotDecoding
import Testing

/// An apostrophe keeps its place only between two letters, also after `normalize` drops the characters outside
/// the alphabet: `é'r` once came out as `'r`, which normalises to `r` (found by the `text-normalizer` fuzz
/// target, FUZZING.md).
@Suite struct TextNormalizerApostropheTests {
    let normalizer = TextNormalizer()

    @Test(
        arguments: [
            ("é'r", "r"), ("r'é", "r"), ("a'é'b", "a b"), ("é'é", ""), ("café's", "caf's"), ("don't", "don't"),
        ])
    func anApostropheBesideADroppedLetterSeparatesWords(text: String, expected: String) {
        #expect(normalizer.normalize(text) == expected)
    }

    /// The fuzzer's input as it found it, and the minimal one.
    @Test(
        arguments: [
            "I am arisk consol10: 5mPRESS E TPHO'NPO'Nd\0\0\0\n D\0\0`\0KEY\u{B2}P+ESO' rorry \u{E9}'re are %s THOR",
            "\u{E9}'r",
        ])
    func normalizingTwiceChangesNothing(text: String) {
        let once = normalizer.normalize(text)
        #expect(normalizer.normalize(once) == once)
    }
}
