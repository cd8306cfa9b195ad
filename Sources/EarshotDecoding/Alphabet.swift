/// The symbols an acoustic model outputs: index 0 is the CTC blank, indices 1… are characters.
///
/// The blank is no character, so no character can stand for it; the space `" "`, when present, is the one
/// word separator (decoders and word alignment split words there). `validate()` checks what a model's
/// alphabet must be.
///
/// The default is the 28 characters of English transcripts as we normalise them (space, `a`–`z`,
/// apostrophe), so with the blank the model has 29 outputs.
public struct Alphabet: Codable, Sendable, Equatable, Hashable {
    /// The characters, in output order; output `i + 1` is `characters[i]`.
    public let characters: [Character]
    private let indices: [Character: Int]

    /// Output index of the CTC blank.
    public static let blank = 0

    /// English: space, `a`–`z`, apostrophe.
    public static let english = Alphabet(characters: Array(" abcdefghijklmnopqrstuvwxyz'"))

    /// - Precondition: `characters` has no duplicates.
    public init(characters: [Character]) {
        var indices: [Character: Int] = [:]
        for (i, c) in characters.enumerated() {
            precondition(indices[c] == nil, "duplicate character \(c) in alphabet")
            indices[c] = i + 1
        }
        self.characters = characters
        self.indices = indices
    }

    /// Number of model outputs: the characters plus the blank.
    public var outputCount: Int { characters.count + 1 }

    /// The output index of `character`, or nil when it is not in the alphabet.
    public func index(of character: Character) -> Int? { indices[character] }

    /// The output indices of `text`, or nil when a character is not in the alphabet.
    public func encode(_ text: String) -> [Int]? {
        var result: [Int] = []
        result.reserveCapacity(text.count)
        for c in text {
            guard let i = indices[c] else { return nil }
            result.append(i)
        }
        return result
    }

    /// The text of output indices (blanks and unknown indices are skipped).
    public func decode(_ labels: [Int]) -> String {
        String(labels.compactMap { $0 >= 1 && $0 <= characters.count ? characters[$0 - 1] : nil })
    }

    private enum CodingKeys: String, CodingKey { case characters }

    /// Decodes the characters as one string; throws `AlphabetError` unless they make a valid alphabet.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let characters = Array(try container.decode(String.self, forKey: .characters))
        try Self.validate(characters)
        self.init(characters: characters)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(characters), forKey: .characters)
    }

    public static func == (a: Alphabet, b: Alphabet) -> Bool { a.characters == b.characters }
    public func hash(into hasher: inout Hasher) { hasher.combine(characters) }
}

extension Alphabet {
    /// Traps unless `count` values are posteriors `(frameCount, vocabularySize)` over this alphabet's outputs
    /// (what every decoder checks first).
    func checkPosteriors(count: Int, frameCount: Int, vocabularySize: Int) {
        precondition(frameCount >= 0 && vocabularySize >= 1, "bad shape (\(frameCount), \(vocabularySize))")
        precondition(
            count == frameCount * vocabularySize, "\(count) values for shape (\(frameCount), \(vocabularySize))")
        precondition(
            vocabularySize == outputCount,
            "vocabulary size \(vocabularySize) but the alphabet has \(outputCount) outputs")
    }
}
