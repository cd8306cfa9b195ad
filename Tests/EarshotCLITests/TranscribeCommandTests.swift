import EarshotTestSupport
import Foundation
import XCTest

@testable import EarshotAudio

/// `earshot transcribe` and `earshot eval` as a user runs them, with a small model that knows the six
/// training-test clips (Fixtures/README.md).
final class TranscribeCommandTests: XCTestCase {
    static let model = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("tiny-model.safetensors").path
    static let clips = TrainCommandTests.clips
    static let transcripts = [
        "yes": "yes", "no": "no", "hello_world": "hello world", "go_left": "go left",
        "stop_now": "stop now", "open_the_door": "open the door",
    ]
    var directory: URL!

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
    }

    private func clip(_ name: String) -> String { Self.clips.appendingPathComponent("\(name).wav").path }

    func testTranscribesAFolderOfClips() throws {
        let result = try CommandRunner.run("earshot", ["transcribe", Self.clips.path, "--model", Self.model])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdoutText.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }
        XCTAssertEqual(lines.count, 6)
        for line in lines {
            let name = URL(fileURLWithPath: String(line[0])).deletingPathExtension().lastPathComponent
            XCTAssertEqual(String(line[1]), Self.transcripts[name], name)
        }
        XCTAssertTrue(result.stderr.contains("real-time factor"), result.stderr)
    }

    func testJSONHasWordsWithTimesAndConfidences() throws {
        let result = try CommandRunner.run(
            "earshot", ["transcribe", clip("open_the_door"), "--model", Self.model, "-f", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: result.stdout) as! [String: Any]
        XCTAssertEqual(object["text"] as? String, "open the door")
        let duration = object["duration"] as! Double
        let segment = (object["segments"] as! [[String: Any]])[0]
        let words = segment["words"] as! [[String: Any]]
        XCTAssertEqual(words.map { $0["text"] as? String }, ["open", "the", "door"])
        var previousEnd = 0.0
        for word in words {
            let start = word["start"] as! Double, end = word["end"] as! Double,
                confidence = word["confidence"] as! Double
            XCTAssertLessThan(start, end)
            XCTAssertGreaterThanOrEqual(start, previousEnd - 1e-9)
            XCTAssertLessThanOrEqual(end, duration + 0.03)
            XCTAssertTrue((0...1).contains(confidence))
            previousEnd = end
        }
    }

    func testSubtitleAndTableFormatsGoToPredictableFiles() throws {
        for format in ["srt", "vtt", "tsv", "txt", "json"] {
            let result = try CommandRunner.run(
                "earshot",
                [
                    "transcribe", clip("hello_world"), clip("go_left"), "--model", Self.model, "-f", format,
                    "--output-dir", directory.path, "--quiet",
                ])
            XCTAssertEqual(result.status, 0, result.stderr)
            let text = try String(
                contentsOf: directory.appendingPathComponent("hello_world.\(format)"), encoding: .utf8)
            XCTAssertTrue(text.contains("hello world"), "\(format): \(text)")
            XCTAssertTrue(
                FileManager.default.fileExists(atPath: directory.appendingPathComponent("go_left.\(format)").path))
            switch format {
            case "srt": XCTAssertTrue(text.hasPrefix("1\n00:00:00,"), text)
            case "vtt": XCTAssertTrue(text.hasPrefix("WEBVTT\n\n00:00:00."), text)
            case "tsv": XCTAssertTrue(text.hasPrefix("start\tend\ttext\n"), text)
            default: break
            }
        }
        // Subtitles of several files need somewhere to go.
        XCTAssertEqual(
            try CommandRunner.run(
                "earshot", ["transcribe", clip("yes"), clip("no"), "--model", Self.model, "-f", "srt"]
            ).status, 64)
    }

    func testABadFileAmongGoodOnesIsReportedAndTheOthersTranscribed() throws {
        let text = directory.appendingPathComponent("notes.wav")
        try Data("hello".utf8).write(to: text)
        let result = try CommandRunner.run(
            "earshot",
            [
                "transcribe", clip("yes"), text.path, directory.appendingPathComponent("gone.wav").path, clip("no"),
                "--model", Self.model,
            ])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(text.path): not an audio file"), result.stderr)
        XCTAssertTrue(result.stderr.contains("gone.wav: no such file"), result.stderr)
        XCTAssertTrue(result.stdoutText.contains("yes.wav\tyes"), result.stdoutText)
        XCTAssertTrue(result.stdoutText.contains("no.wav\tno"), result.stdoutText)
    }

    /// A cut-off FLAC (libsndfile decodes what is there without complaint; its header still promises every
    /// frame) is an error for `transcribe` and `eval`, as for `features` and `train`: files are read one way.
    func testACutOffFLACIsRejected() throws {
        let samples = try AudioFile.read(path: clip("hello_world")).samples
        let cut = directory.appendingPathComponent("cut.flac").path
        try AudioFile.write(interleaved: samples, channels: 1, sampleRate: 16000, format: .flac16, to: cut)
        let size = try FileManager.default.attributesOfItem(atPath: cut)[.size] as! Int
        XCTAssertEqual(truncate(cut, off_t(size / 2)), 0)
        let result = try CommandRunner.run("earshot", ["transcribe", cut, "--model", Self.model])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(cut): ") && result.stderr.contains("truncated"), result.stderr)
        XCTAssertEqual(result.stdoutText, "")
    }

    /// A long recording is cut at quiet points into segments of at most --segment-seconds, contiguous and
    /// with absolute times. (The clips are played back to back, each with its 50 ms of silence at both
    /// ends. The small model knows the clips only on their own, so the words are not checked here.)
    func testLongAudioIsSegmentedWithAbsoluteTimes() throws {
        var samples: [Float] = []
        for _ in 0..<4 {
            for name in ["hello_world", "go_left", "stop_now", "open_the_door", "yes", "no"] {
                samples += try AudioFile.read(path: clip(name)).samples
            }
        }
        let long = directory.appendingPathComponent("long.wav")
        try WAVBytes.pcm16(samples, sampleRate: 16000).write(to: long)
        let result = try CommandRunner.run(
            "earshot", ["transcribe", long.path, "--model", Self.model, "-f", "json", "--segment-seconds", "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: result.stdout) as! [String: Any]
        let segments = object["segments"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(Double(segments.count), Double(samples.count) / 16000)  // at most 1 s each
        var previous = 0.0
        for segment in segments {
            let start = segment["start"] as! Double, end = segment["end"] as! Double
            XCTAssertEqual(start, previous, accuracy: 1e-6, "segments are contiguous")
            XCTAssertLessThanOrEqual(end - start, 1 + 1e-6)
            previous = end
        }
        XCTAssertEqual(previous, Double(samples.count) / 16000, accuracy: 1e-3)
        // Each cut lies where the audio is quiet: the 10 ms around it is far below the speech's level.
        let speechRMS = (samples.reduce(0) { $0 + $1 * $1 } / Float(samples.count)).squareRoot()
        for segment in segments.dropLast() {
            let cut = Int((segment["end"] as! Double) * 16000)
            let around = samples[max(cut - 80, 0)..<min(cut + 80, samples.count)]
            let rms = (around.reduce(0) { $0 + $1 * $1 } / Float(around.count)).squareRoot()
            XCTAssertLessThan(rms, 0.1 * speechRMS, "cut at \(segment["end"]!) s is not quiet")
        }
        // Word times are absolute: they increase through the whole file.
        let starts = segments.flatMap { ($0["words"] as! [[String: Any]]).map { $0["start"] as! Double } }
        XCTAssertEqual(starts, starts.sorted())
        XCTAssertGreaterThan(starts.last ?? 0, previous - 2)
    }

    func testEvalReportsErrorRatesWithCounts() throws {
        let manifest = directory.appendingPathComponent("eval.tsv")
        // The reference of "yes" is wrong on purpose: one substitution.
        let lines = Self.transcripts.sorted(by: { $0.key < $1.key }).map {
            "\(clip($0.key))\t\($0.key == "yes" ? "no" : $0.value)"
        }
        try lines.joined(separator: "\n").write(to: manifest, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run("earshot", ["eval", manifest.path, "--model", Self.model, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let objects = result.stdoutText.split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        XCTAssertEqual(objects.count, 7)
        let summary = objects.last!
        XCTAssertEqual(summary["reference_words"] as? Int, 11)
        XCTAssertEqual(summary["word_substitutions"] as? Int, 1)
        XCTAssertEqual(summary["wer"] as! Double, 1.0 / 11, accuracy: 1e-12)
        let plain = try CommandRunner.run("earshot", ["eval", manifest.path, "--model", Self.model])
        XCTAssertTrue(
            plain.stdoutText.contains("WER 9.09% (1 substitutions, 0 deletions, 0 insertions of 11 words)"),
            plain.stdoutText)
    }

    /// `eval --chunk-steps` runs the model as a stream does: one chunk longer than every clip gives the
    /// whole-clip result, and the summary names the chunking (null without it).
    func testEvalInChunks() throws {
        let manifest = directory.appendingPathComponent("eval.tsv")
        let lines = Self.transcripts.sorted(by: { $0.key < $1.key }).map { "\(clip($0.key))\t\($0.value)" }
        try lines.joined(separator: "\n").write(to: manifest, atomically: true, encoding: .utf8)
        func summary(_ extra: [String]) throws -> [String: Any] {
            let result = try CommandRunner.run(
                "earshot", ["eval", manifest.path, "--model", Self.model, "--json"] + extra)
            XCTAssertEqual(result.status, 0, result.stderr)
            return try JSONSerialization.jsonObject(with: Data(result.stdoutText.split(separator: "\n").last!.utf8))
                as! [String: Any]
        }
        let whole = try summary([]), chunked = try summary(["--chunk-steps", "1000", "--lookahead-steps", "0"])
        XCTAssertEqual(chunked["wer"] as? Double, whole["wer"] as? Double)
        XCTAssertEqual(chunked["cer"] as? Double, whole["cer"] as? Double)
        XCTAssertEqual(chunked["chunk_steps"] as? Int, 1000)
        XCTAssertTrue(whole["chunk_steps"] is NSNull)
        let bad = try CommandRunner.run(
            "earshot", ["eval", manifest.path, "--model", Self.model, "--chunk-steps", "0"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
    }

    func testAMissingOrCorruptModelIsReported() throws {
        let missing = try CommandRunner.run(
            "earshot",
            ["transcribe", clip("yes"), "--model", directory.appendingPathComponent("none.safetensors").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("none.safetensors"), missing.stderr)
        let corrupt = directory.appendingPathComponent("bad.safetensors")
        try Data(repeating: 7, count: 100).write(to: corrupt)
        let result = try CommandRunner.run("earshot", ["transcribe", clip("yes"), "--model", corrupt.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains(corrupt.path), result.stderr)
        XCTAssertFalse(result.crashed)
    }

    /// `earshot lm build` writes an ARPA model that `--lm` reads; a malformed one is reported with its line.
    func testLanguageModelBuildAndDecodingOptions() throws {
        let text = directory.appendingPathComponent("corpus.txt")
        try "Hello world.\nOpen the door!\nGo left, stop now.\nYes\nNo\nThe door is open\n".write(
            to: text, atomically: true, encoding: .utf8)
        let arpa = directory.appendingPathComponent("lm.arpa").path
        let build = try CommandRunner.run("earshot", ["lm", "build", text.path, "-o", arpa, "--order", "3"])
        XCTAssertEqual(build.status, 0, build.stderr)
        let model = try String(contentsOfFile: arpa, encoding: .utf8)
        XCTAssertTrue(model.hasPrefix("\\data\\\nngram 1="), model)
        XCTAssertTrue(model.contains("\\3-grams:") && model.contains("open the door"), model)

        let decoded = try CommandRunner.run(
            "earshot",
            [
                "transcribe", Self.clips.path, "--model", Self.model, "--lm", arpa, "--hotword", "open the door:2",
                "--beam", "64", "--quiet",
            ])
        XCTAssertEqual(decoded.status, 0, decoded.stderr)
        for line in decoded.stdoutText.split(separator: "\n") {
            let parts = line.split(separator: "\t")
            let name = URL(fileURLWithPath: String(parts[0])).deletingPathExtension().lastPathComponent
            XCTAssertEqual(String(parts[1]), Self.transcripts[name])
        }

        let alternatives = try CommandRunner.run(
            "earshot", ["transcribe", clip("go_left"), "--model", Self.model, "--nbest", "3", "-f", "json"])
        let object = try JSONSerialization.jsonObject(with: alternatives.stdout) as! [String: Any]
        let segment = (object["segments"] as! [[String: Any]])[0]
        let scores = (segment["alternatives"] as! [[String: Any]]).map { $0["score"] as! Double }
        XCTAssertEqual(scores.count, 3)
        XCTAssertEqual(scores, scores.sorted(by: >))

        let broken = directory.appendingPathComponent("broken.arpa")
        try "\\data\\\nngram 1=2\n\n\\1-grams:\n-1.0\thello\nnot-a-number\tworld\n\\end\\\n".write(
            to: broken, atomically: true, encoding: .utf8)
        let failed = try CommandRunner.run(
            "earshot", ["transcribe", clip("yes"), "--model", Self.model, "--lm", broken.path])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("broken.arpa:6:"), failed.stderr)

        XCTAssertEqual(
            try CommandRunner.run("earshot", ["transcribe", clip("yes"), "--greedy", "--lm", arpa]).status, 64)
        let help = try CommandRunner.run("earshot", ["transcribe", "--help"]).stdoutText
        for option in [
            "--beam", "--greedy", "--lm", "--alpha", "--beta", "--hotword", "--hotword-boost", "--nbest",
            "--format", "--output-dir", "--segment-seconds", "--threads", "--model",
        ] {
            XCTAssertTrue(help.contains(option), "help lacks \(option)")
        }
    }
}
