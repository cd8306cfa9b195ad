/// Why a list of characters cannot be a model's alphabet.
public enum AlphabetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No characters: the model could only output the blank.
    case empty
    /// This character occurs more than once, so text would not encode to one label sequence.
    case repeated(Character)
    /// More characters than `Alphabet.maximumCharacterCount`.
    case tooManyCharacters(Int)
    /// Whitespace other than the space: text tools split words there, the decoders do not.
    case whitespace(Character)

    /// What the alphabet must be and what it holds, to follow the alphabet's name
    /// ("must hold each character once, got 'a' more than once").
    public var requirement: String {
        switch self {
        case .empty: return "must hold at least one character, got none"
        case .repeated(let c): return "must hold each character once, got \(Self.show(c)) more than once"
        case .tooManyCharacters(let count):
            return
                "must hold at most \(Alphabet.maximumCharacterCount) characters (the beam search's 256 outputs with the blank), got \(count)"
        case .whitespace(let c):
            return "must hold no whitespace but the space (the word separator), got \(Self.show(c))"
        }
    }

    public var description: String { "alphabet " + requirement }

    /// `'a'` for a visible character, its code points (`U+0009`) for whitespace and control characters.
    private static func show(_ c: Character) -> String {
        if !c.isWhitespace && !c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "'\(c)'"
        }
        return c.unicodeScalars.map { scalar -> String in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }.joined(separator: " ")
    }
}

extension Alphabet {
    /// Most characters an alphabet may hold: 255, so that with the blank there are at most 256 outputs,
    /// the labels the beam search keys its prefixes with (8 bits each).
    public static let maximumCharacterCount = 255

    /// Checks this alphabet can be a model's (see `validate(_:)`).
    public func validate() throws(AlphabetError) { try Self.validate(characters) }

    /// Checks `characters` can be a model's alphabet: at least one, each once, at most
    /// `maximumCharacterCount`, and no whitespace but the space `" "` (the word separator: text is
    /// normalised to single spaces, so other whitespace would never be a training target, and would
    /// separate words for text tools but not for the decoders).
    public static func validate(_ characters: [Character]) throws(AlphabetError) {
        guard !characters.isEmpty else { throw .empty }
        var seen = Set<Character>()
        for c in characters where !seen.insert(c).inserted { throw .repeated(c) }
        guard characters.count <= maximumCharacterCount else { throw .tooManyCharacters(characters.count) }
        if let c = characters.first(where: { $0.isWhitespace && $0 != " " }) { throw .whitespace(c) }
    }
}
