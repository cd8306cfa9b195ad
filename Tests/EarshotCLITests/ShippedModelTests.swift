import EarshotTestSupport
import Foundation
import XCTest

/// The shipped model (Models/earshot-en.safetensors, found by `earshot` on its own — no --model) on the
/// sample clips in Audio/, scored against Audio/transcripts.tsv.
final class ShippedModelTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Measured 0.208 (Models/README.md); the margin covers last-bit differences between machines
    /// (OpenBLAS kernels) and a fully trained model will only lower it.
    static let maximumCER = 0.30

    func testShippedModelTranscribesTheSampleClips() throws {
        let transcripts = Self.repository.appendingPathComponent("Audio/transcripts.tsv").path
        let result = try CommandRunner.run("earshot", ["eval", transcripts, "--json"],
                                           currentDirectory: Self.repository.appendingPathComponent("Audio"))
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try JSONSerialization.jsonObject(
            with: Data(result.stdoutText.split(separator: "\n").last!.utf8)) as! [String: Any]
        XCTAssertEqual(summary["utterances"] as? Int, 3)
        let cer = summary["cer"] as! Double
        print("shipped model on Audio/: CER \(cer), WER \(summary["wer"]!)")
        XCTAssertLessThanOrEqual(cer, Self.maximumCER)

        let main = try CommandRunner.run("earshot", ["transcribe", "earshot-espeak-16k.wav"],
                                         currentDirectory: Self.repository.appendingPathComponent("Audio"))
        XCTAssertEqual(main.status, 0, main.stderr)
        XCTAssertFalse(main.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
