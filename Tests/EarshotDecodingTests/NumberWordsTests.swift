import EarshotDecoding
import XCTest

final class NumberWordsTests: XCTestCase {
    func testCardinals() {
        let cases: [(Int, String)] = [
            (0, "zero"), (1, "one"), (9, "nine"), (10, "ten"), (13, "thirteen"), (19, "nineteen"), (20, "twenty"),
            (21, "twenty one"), (40, "forty"), (99, "ninety nine"), (100, "one hundred"), (101, "one hundred one"),
            (162, "one hundred sixty two"), (999, "nine hundred ninety nine"), (1000, "one thousand"),
            (1001, "one thousand one"), (2009, "two thousand nine"), (10_000, "ten thousand"),
            (110_011, "one hundred ten thousand eleven"), (1_000_005, "one million five"),
            (2_000_000_000, "two billion"), (3_000_000_000_000, "three trillion"),
            (
                NumberWords.largest,
                "nine hundred ninety nine trillion nine hundred ninety nine billion nine hundred ninety nine million "
                    + "nine hundred ninety nine thousand nine hundred ninety nine"
            ),
        ]
        for (n, words) in cases { XCTAssertEqual(NumberWords.cardinal(n), words, "\(n)") }
    }

    func testOrdinals() {
        let cases: [(Int, String)] = [
            (1, "first"), (2, "second"), (3, "third"), (4, "fourth"), (5, "fifth"), (8, "eighth"), (9, "ninth"),
            (11, "eleventh"), (12, "twelfth"), (20, "twentieth"), (22, "twenty second"), (40, "fortieth"),
            (100, "one hundredth"), (101, "one hundred first"), (1000, "one thousandth"),
            (1_000_000, "one millionth"), (0, "zeroth"),
        ]
        for (n, words) in cases { XCTAssertEqual(NumberWords.ordinal(n), words, "\(n)") }
    }

    func testYears() {
        XCTAssertEqual(NumberWords.year(1999), "nineteen ninety nine")
        XCTAssertEqual(NumberWords.year(1905), "nineteen oh five")
        XCTAssertEqual(NumberWords.year(1900), "nineteen hundred")
        XCTAssertEqual(NumberWords.year(1100), "eleven hundred")
        XCTAssertEqual(NumberWords.year(1066), "one thousand sixty six", "outside 1100…1999: cardinal")
        XCTAssertEqual(NumberWords.year(2009), "two thousand nine")
        XCTAssertEqual(NumberWords.year(2024), "two thousand twenty four")
    }

    func testDigitByDigit() {
        XCTAssertEqual(NumberWords.digitByDigit("007"), "zero zero seven")
        XCTAssertEqual(NumberWords.digitByDigit("5-1"), "five one")
        XCTAssertEqual(NumberWords.digitByDigit(""), "")
    }
}
