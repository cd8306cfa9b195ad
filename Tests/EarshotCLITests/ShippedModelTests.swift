import EarshotAudio
import EarshotTestSupport
import Foundation
import XCTest

/// The shipped model (Models/earshot-en.safetensors, found by `earshot` on its own — no --model) on the
/// sample clips in Audio/, scored against Audio/transcripts.tsv.
final class ShippedModelTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Measured 0.167 with the shipped language model (Models/README.md); the margin covers last-bit
    /// differences between machines (OpenBLAS kernels) that can flip a beam-search choice on 192 characters.
    static let maximumCER = 0.25

    func testShippedModelTranscribesTheSampleClips() throws {
        let transcripts = Self.repository.appendingPathComponent("Audio/transcripts.tsv").path
        let result = try CommandRunner.run(
            "earshot", ["eval", transcripts, "--json"],
            currentDirectory: Self.repository.appendingPathComponent("Audio"))
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary =
            try JSONSerialization.jsonObject(
                with: Data(result.stdoutText.split(separator: "\n").last!.utf8)) as! [String: Any]
        XCTAssertEqual(summary["utterances"] as? Int, 3)
        let cer = summary["cer"] as! Double
        print("shipped model on Audio/: CER \(cer), WER \(summary["wer"]!)")
        XCTAssertLessThanOrEqual(cer, Self.maximumCER)

        let main = try CommandRunner.run(
            "earshot", ["transcribe", "earshot-espeak-16k.wav"],
            currentDirectory: Self.repository.appendingPathComponent("Audio"))
        XCTAssertEqual(main.status, 0, main.stderr)
        XCTAssertFalse(main.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// Two sample clips with 2 s of steady white noise between them, loud enough for the energy gate
    /// (−40 dBFS; the gate is at −50), piped into `earshot stream`: the model decodes the noise as blanks
    /// and ends the first utterance in it, so there are two finals; with the model-based endpoint off
    /// (`--endpoint-blank-seconds 0`) the noise keeps one utterance open to the end. (The tiny test
    /// model cannot do this: it never heard noise.)
    func testStreamEndsUtterancesInSteadyNoise() throws {
        let audio = Self.repository.appendingPathComponent("Audio")
        func clip(_ name: String) throws -> [Float] {
            try AudioFile.read(path: audio.appendingPathComponent(name).path, sampleRate: 16000).samples
        }
        let noise = seededNoise(count: 2 * 16000, seed: 5, amplitude: Float(0.01 * 3.0.squareRoot()))
        let samples = try clip("earshot-espeak-16k.wav") + noise + clip("flite-slt-fox-16k.wav")
        func finals(_ extra: [String]) throws -> Int {
            let result = try CommandRunner.run(
                "earshot", ["stream", "--json"] + extra, stdin: WAVBytes.pcm16(samples, sampleRate: 16000),
                currentDirectory: audio)
            XCTAssertEqual(result.status, 0, result.stderr)
            return result.stdoutText.split(separator: "\n").filter { $0.contains("\"type\":\"final\"") }.count
        }
        XCTAssertEqual(try finals([]), 2)
        XCTAssertEqual(try finals(["--endpoint-blank-seconds", "0"]), 1)
    }
}
