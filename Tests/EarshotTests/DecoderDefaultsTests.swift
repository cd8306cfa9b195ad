import Earshot
import EarshotTestSupport
import Foundation
import XCTest

/// Reading a model's decoder sidecar (`X.lm.json`) as a Swift program would, without the CLI.
final class DecoderDefaultsTests: XCTestCase {
    static let arpa = """
        \\data\\
        ngram 1=4

        \\1-grams:
        -1.0\t<s>
        -0.5\t</s>
        -0.3\tyes
        -0.4\tno

        \\end\\

        """

    func testTheSidecarIsFoundBesideTheModel() throws {
        XCTAssertEqual(
            DecoderDefaults.sidecarPath(forModelAt: "Models/earshot-en.safetensors"), "Models/earshot-en.lm.json")
        XCTAssertEqual(DecoderDefaults.sidecarPath(forModelAt: "/m/model.bin"), "/m/model.bin.lm.json")
        let directory = try temporaryDirectory(self)
        let model = directory.appendingPathComponent("m.safetensors").path
        XCTAssertNil(try DecoderDefaults.find(forModelAt: model), "no sidecar, no defaults")

        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("lm"), withIntermediateDirectories: true)
        try Self.arpa.write(to: directory.appendingPathComponent("lm/words.arpa"), atomically: true, encoding: .utf8)
        try #"{"arpa": "lm/words.arpa", "alpha": 0.75, "beta": 2, "note": "by hand"}"#
            .write(toFile: DecoderDefaults.sidecarPath(forModelAt: model), atomically: true, encoding: .utf8)
        let defaults = try XCTUnwrap(try DecoderDefaults.find(forModelAt: model))
        XCTAssertEqual(defaults.alpha, 0.75)
        XCTAssertEqual(defaults.beta, 2)
        XCTAssertEqual(defaults.note, "by hand")
        // Relative to the sidecar's folder, not to the current directory.
        XCTAssertEqual(
            defaults.languageModelPath, directory.appendingPathComponent("lm/words.arpa").standardizedFileURL.path)
        XCTAssertEqual(try defaults.loadLanguageModel().vocabulary.count, 5)  // the four words and the <unk> added

        var options = BeamSearchOptions()
        defaults.apply(to: &options)
        XCTAssertEqual(options.languageModelWeight, 0.75)
        XCTAssertEqual(options.wordBonus, 2)
        // Values it does not give stay as they were.
        var untouched = BeamSearchOptions()
        DecoderDefaults(file: "x.lm.json", arpa: "/abs/x.arpa").apply(to: &untouched)
        XCTAssertEqual(untouched, BeamSearchOptions())
        XCTAssertEqual(DecoderDefaults(file: "x.lm.json", arpa: "/abs/x.arpa").languageModelPath, "/abs/x.arpa")
    }

    func testProblemsNameTheSidecar() throws {
        let directory = try temporaryDirectory(self)
        let sidecar = directory.appendingPathComponent("m.lm.json").path
        try #"{"arpa": "missing.arpa"}"#.write(toFile: sidecar, atomically: true, encoding: .utf8)
        let defaults = try DecoderDefaults(contentsOfFile: sidecar)
        XCTAssertThrowsError(try defaults.loadLanguageModel()) { error in
            XCTAssertEqual((error as? DecoderDefaultsError)?.file, sidecar)
            XCTAssertTrue("\(error)".contains("missing.arpa:0: cannot read the file"), "\(error)")
        }
        try "{\"arpa\": 3}".write(toFile: sidecar, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try DecoderDefaults(contentsOfFile: sidecar)) { error in
            XCTAssertEqual("\(error)", "\(sidecar): 'arpa' must be a string")
        }
        XCTAssertThrowsError(try DecoderDefaults(contentsOfFile: directory.appendingPathComponent("none.lm.json").path))
        {
            XCTAssertTrue("\($0)".contains("none.lm.json: cannot read the file"), "\($0)")
        }
    }
}
