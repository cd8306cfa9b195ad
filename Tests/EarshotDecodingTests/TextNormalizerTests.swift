import EarshotDecoding
import Foundation
import XCTest

/// The normalisation rules of the project's transcripts (Fixtures/README.md) one by one; `AsteriskTranscriptTests` checks them on the real data.
final class TextNormalizerTests: XCTestCase {
    let normalizer = TextNormalizer()

    func assertNormalizes(_ cases: [(String, String)], file: StaticString = #filePath, line: UInt = #line) {
        for (raw, expected) in cases {
            XCTAssertEqual(normalizer.normalize(raw), expected, "normalize(\"\(raw)\")", file: file, line: line)
        }
    }

    func testLowercasePunctuationAndSpaces() {
        assertNormalizes([
            ("Hello World.", "hello world"),
            ("  Login incorrect.  Mailbox?  ", "login incorrect mailbox"),
            ("...to exit the menu.", "to exit the menu"),
            ("a polite \"don't call\" menu", "a polite don't call menu"),
            ("desk; I will", "desk i will"),
            ("and/or", "and or"),
            ("tab\there\nnewline", "tab here newline"),
            ("", ""),
            ("?!.", ""),
        ])
    }

    func testApostrophes() {
        assertNormalizes([
            ("I'm sure it's Waldo's", "i'm sure it's waldo's"),
            ("o'clock", "o'clock"),
            ("Don\u{2019}t", "don't"),
            ("'quoted' words'", "quoted words"),
            ("rock 'n' roll", "rock n roll"),
        ])
    }

    func testHyphensAreSpaces() {
        assertNormalizes([
            ("Call-Forward on No Answer.", "call forward on no answer"),
            ("re-entered", "re entered"),
            ("twenty-one", "twenty one"),
            ("a \u{2014} dash", "a dash"),
            ("5-10", "five ten"),
        ])
    }

    func testSymbols() {
        assertNormalizes([
            ("press * to toggle pause, press # to enter", "press star to toggle pause press pound to enter"),
            ("dial *69", "dial star sixty nine"),
            ("a *very* big deal", "a very big deal"),
            ("50%", "fifty percent"),
            ("AT&T", "a t and t"),
            ("R&D", "r and d"),
            ("salt & pepper", "salt and pepper"),
            ("joe@example.com", "joe at example dot com"),
            ("1+1=2", "one plus one equals two"),
        ])
    }

    func testBracketedTextIsRemoved() {
        assertNormalizes([
            ("dash [-]", "dash"),
            ("dollar [$]", "dollar"),
            ("space [ ]", "space"),
            ("press the pound key. (simple tone sound plays)", "press the pound key"),
            ("a (nested [note]) b", "a b"),
            ("<beep ascending>", "beep ascending"),
            ("unclosed ( bracket", "unclosed bracket"),
            ("stray ] bracket", "stray bracket"),
        ])
        var keeping = TextNormalizer()
        keeping.dropsBracketedText = false
        XCTAssertEqual(keeping.normalize("a (quiet) word"), "a quiet word")
    }

    func testCardinalNumbers() {
        assertNormalizes([
            ("press 1", "press one"),
            ("162 calls", "one hundred sixty two calls"),
            ("0", "zero"),
            ("4, or 6", "four or six"),
            ("1,500 people", "one thousand five hundred people"),
            ("1,000,000", "one million"),
            ("2009", "two thousand nine"),
            ("2024", "two thousand twenty four"),
            ("-4 degrees", "minus four degrees"),
            ("007", "zero zero seven"),
            ("999999", "nine hundred ninety nine thousand nine hundred ninety nine"),
            ("call 5551234", "call five five five one two three four"),
            ("1,000,000,000", "one billion"),
            (
                "12345678901234567",
                "one two three four five six seven eight nine zero one two three four five six seven"
            ),
        ])
    }

    func testYearsVersusNumbers() {
        assertNormalizes([
            ("in 1999", "in nineteen ninety nine"),
            ("1905", "nineteen oh five"),
            ("1900", "nineteen hundred"),
            ("the 1990s", "the nineteen nineties"),
            ("the '90s", "the nineties"),
            ("the 80's", "the eighties"),
            ("1066", "one thousand sixty six"),
            ("1,999", "one thousand nine hundred ninety nine"),
        ])
        var cardinals = TextNormalizer()
        cardinals.readsYears = false
        XCTAssertEqual(cardinals.normalize("1999"), "one thousand nine hundred ninety nine")
    }

    func testDecimalsOrdinalsAndMoney() {
        assertNormalizes([
            ("2.5", "two point five"),
            ("0.25", "zero point two five"),
            ("about .5 percent", "about point five percent"),
            ("-2.5", "minus two point five"),
            ("3.14.", "three point one four"),
            ("1st", "first"),
            ("22nd", "twenty second"),
            ("3rd", "third"),
            ("the 11th hour", "the eleventh hour"),
            ("100th", "one hundredth"),
            ("$5", "five dollars"),
            ("$1", "one dollar"),
            ("$5.50", "five dollars fifty cents"),
            ("$0.99", "ninety nine cents"),
            ("$1.01", "one dollar one cent"),
            ("$2.5", "two point five dollars"),
            ("$1,000", "one thousand dollars"),
        ])
    }

    func testTimes() {
        assertNormalizes([
            ("10:30", "ten thirty"),
            ("at 9:05", "at nine oh five"),
            ("10:00", "ten o'clock"),
            ("10:00 am", "ten a m"),
            ("10:00 P.M.", "ten p m"),
            ("7pm", "seven p m"),
            ("5 am", "five a m"),
            ("I am here", "i am here"),
            ("99:99", "ninety nine ninety nine"),
            ("at 10:00. Am I late?", "at ten o'clock am i late"),
            ("at 5, am I late?", "at five am i late"),
        ])
    }

    func testDigitsNextToLetters() {
        assertNormalizes([
            ("3D audio", "three d audio"),
            ("mp3", "mp three"),
            ("4x4", "four x four"),
        ])
    }

    func testAcronymsAndAbbreviations() {
        assertNormalizes([
            ("the Asterisk open source PBX.", "the asterisk open source p b x"),
            ("PBX and IVR platform", "p b x and i v r platform"),
            ("M I S D N", "m i s d n"),
            ("A.M.", "a m"),
            ("e.g. this", "e g this"),
            ("U.S.A", "u s a"),
            ("www.asterisk.org.", "w w w dot asterisk dot org"),
            ("CDs and PBX's", "c d s and p b x's"),
            ("Do NOT press", "do not press"),
            ("enter your PIN", "enter your pin"),
            ("NASA", "nasa"),
            ("I", "i"),
            ("ASTERISK", "asterisk"),
            ("OK", "ok"),
            ("HTML and MISDN", "h t m l and m i s d n"),
            ("ROMEO: Courage, LITE(tm)", "romeo courage lite"),
        ])
    }

    func testShoutedText() {
        assertNormalizes([
            ("PLEASE HOLD THE LINE", "please hold the line"),
            ("CALL THE PBX NOW", "call the p b x now"),
            ("HURRY UP", "hurry up"),
            ("PBX", "p b x"),
        ])
    }

    func testAlphabetFilter() {
        XCTAssertEqual(normalizer.normalize("Café au lait"), "caf au lait")
        XCTAssertEqual(normalizer.spokenForm("Café au lait"), "café au lait")
        XCTAssertEqual(normalizer.charactersOutsideAlphabet("Café, naïve café"), ["é", "ï"])
        XCTAssertEqual(normalizer.charactersOutsideAlphabet("x² ok"), ["²"])
        XCTAssertEqual(normalizer.charactersOutsideAlphabet("plain text, 42!"), [])

        let small = TextNormalizer(alphabet: Alphabet(characters: Array(" abcdefghijklmnopqrstuvwxyz")))
        XCTAssertEqual(small.normalize("Don't stop"), "dont stop", "apostrophe outside the alphabet is dropped")
        XCTAssertEqual(small.charactersOutsideAlphabet("Don't stop"), [], "…and not reported")

        let noSpace = TextNormalizer(alphabet: Alphabet(characters: Array("abc")))
        XCTAssertEqual(noSpace.normalize("a b, cd"), "abc")
    }

    func testIdempotent() {
        for text in ["press 1 for the PBX at 10:30 am", "Call-Forward [x] 1st $5.50", "café au lait"] {
            let once = normalizer.normalize(text)
            XCTAssertEqual(normalizer.normalize(once), once, text)
        }
    }

    func testCodableRoundTrip() throws {
        var options = TextNormalizer(alphabet: Alphabet(characters: Array(" abc")))
        options.readsYears = false
        options.wordsInCapitals = ["ABC"]
        let data = try JSONEncoder().encode(options)
        XCTAssertEqual(try JSONDecoder().decode(TextNormalizer.self, from: data), options)
    }
}
