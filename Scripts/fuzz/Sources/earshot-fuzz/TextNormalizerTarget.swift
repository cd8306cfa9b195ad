import EarshotDecoding

/// `TextNormalizer.normalize` on arbitrary UTF-8 (invalid sequences become U+FFFD, as `String(decoding:)`
/// makes them). Checks: the output holds only characters of the alphabet, its words are separated by single
/// spaces with none at either end, and normalising it again changes nothing (idempotence).
enum TextNormalizerTarget {
    /// The default normaliser: English alphabet, every rule on.
    static let normalizer = TextNormalizer()

    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let once = normalizer.normalize(text)
        require(
            once.allSatisfy { normalizer.alphabet.index(of: $0) != nil },
            "characters outside the alphabet in \(debugForm(once))")
        require(
            !once.hasPrefix(" ") && !once.hasSuffix(" ") && !once.contains("  "),
            "stray spaces in \(debugForm(once))")
        let twice = normalizer.normalize(once)
        require(twice == once, "not idempotent: \(debugForm(once)) → \(debugForm(twice))")
        _ = normalizer.charactersOutsideAlphabet(text)
    }

    private static func debugForm(_ text: String) -> String { String(reflecting: text) }
}
