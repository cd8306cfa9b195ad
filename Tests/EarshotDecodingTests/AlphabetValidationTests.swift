import EarshotDecoding
import Foundation
import Testing

/// What a model's alphabet must be, checked where it is decoded and where a decoder is built.
@Suite struct AlphabetValidationTests {
    /// 256 different letters: with the blank, one output more than the beam search's 8-bit labels hold.
    static let tooMany = Array(String(String.UnicodeScalarView((0x100..<0x200).compactMap(Unicode.Scalar.init))))

    @Test(
        arguments: [
            ([], AlphabetError.empty),
            (Array("abca"), .repeated("a")),
            (tooMany, .tooManyCharacters(256)),
            (Array("ab\t"), .whitespace("\t")),
            (Array(" a\nb"), .whitespace("\n")),
        ] as [([Character], AlphabetError)])
    func aBadAlphabetIsRefused(characters: [Character], expected: AlphabetError) throws {
        #expect(throws: expected) { try Alphabet.validate(characters) }
        let json = try JSONEncoder().encode(["characters": String(characters)])
        #expect(throws: expected) { try JSONDecoder().decode(Alphabet.self, from: json) }
    }

    @Test func messagesNameTheAlphabetAndWhatItHolds() {
        #expect("\(AlphabetError.repeated("a"))" == "alphabet must hold each character once, got 'a' more than once")
        #expect(
            AlphabetError.whitespace("\t").requirement
                == "must hold no whitespace but the space (the word separator), got U+0009")
        #expect("\(AlphabetError.tooManyCharacters(300))".hasSuffix("got 300"))
    }

    /// 255 characters is the most the beam search handles; one more is an error, no longer a trap.
    @Test func theBeamSearchTakesUpTo255Characters() throws {
        _ = try BeamSearchDecoder(alphabet: Alphabet(characters: Array(Self.tooMany.dropLast())))
        #expect(throws: AlphabetError.tooManyCharacters(256)) {
            try BeamSearchDecoder(alphabet: Alphabet(characters: Self.tooMany))
        }
    }

    @Test func englishIsValid() throws {
        try Alphabet.english.validate()
        try Alphabet(characters: ["a"]).validate()
    }
}
