import EarshotDecoding
import Foundation
import Testing

/// A model whose `\data\` declares no unigrams and that ends before any section: every word is unknown, scored as
/// a closed-vocabulary model scores one (log10 p = −100). It once loaded without `<unk>`, and scoring any word
/// then read index −1 (found by the `arpa` fuzz target, FUZZING.md).
@Suite struct ARPAEmptyModelTests {
    static let empty = "\\data\\\nngram 1=0\n\\end\\\n"

    @Test func everyWordIsUnknown() throws {
        let model = try ARPALanguageModel(parsing: Self.empty)
        #expect(model.vocabulary == ["<unk>"])
        #expect(model.unknownWordID == model.wordID("<unk>"))
        let (score, state) = model.score(word: -1, after: model.beginState)
        #expect(abs(score - -100 * Float(M_LN10)) < 1e-3)
        #expect(model.endScore(after: state) == 0)
        _ = model.state(after: ["any", "words"])
    }
}
