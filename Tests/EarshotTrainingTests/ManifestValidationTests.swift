import EarshotAudio
import EarshotDecoding
import EarshotTestSupport
import EarshotTraining
import Foundation
import XCTest

/// Validation before training: every bad line reported, with its line number and cause, on real files
/// written into a scratch folder.
final class ManifestValidationTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try temporaryDirectory(self)
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try writeTone("good.wav", seconds: 0.5)
        try writeTone("sub/good2.wav", seconds: 0.25)
        try writeTone("short.wav", seconds: 0.05)
        try Data().write(to: dir.appendingPathComponent("empty.wav"))
        try Data("not audio at all, just text\n".utf8).write(to: dir.appendingPathComponent("notaudio.wav"))
        try WAVBytes.pcm16([], sampleRate: 16000).write(to: dir.appendingPathComponent("zero.wav"))
    }

    /// A 440 Hz tone of `seconds` at 16 kHz, written with `AudioFile.write`.
    func writeTone(_ name: String, seconds: Double) throws {
        let n = Int(seconds * 16000)
        let samples = (0..<n).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / 16000)) }
        try AudioFile.write(AudioBuffer(samples: samples, sampleRate: 16000), to: dir.appendingPathComponent(name).path)
    }

    func writeManifest(_ name: String, _ text: String) throws -> Manifest {
        let path = dir.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try Manifest.read(path: path)
    }

    func testEveryKindOfProblemIsReportedWithItsLine() throws {
        let absolute = dir.appendingPathComponent("good.wav").path
        let manifest = try writeManifest(
            "manifest.tsv",
            """
            path\ttranscript
            good.wav\tPress 1 for sales.
            missing.wav\thello
            empty.wav\thello
            notaudio.wav\thello
            short.wav\thello
            zero.wav\thello
            good.wav\t... !?
            good.wav\tcafé au lait
            no tab on this line
            missing2.wav\tnaïve café
            sub/good2.wav\tI'm here
            \(absolute)\tabsolute path

            """)
        let (valid, problems) = ManifestValidation.validate(manifest, alphabet: .english, checkAudio: true)

        XCTAssertEqual(valid.map(\.line), [2, 12, 13])
        XCTAssertEqual(valid.map(\.normalizedTranscript), ["press one for sales", "i'm here", "absolute path"])
        XCTAssertEqual(valid[0].labels, Alphabet.english.encode("press one for sales"))
        XCTAssertEqual(valid[0].duration!, 0.5, accuracy: 1e-9, "duration from the header")
        XCTAssertEqual(valid[1].audioPath, dir.path + "/sub/good2.wav")
        XCTAssertEqual(valid[2].audioPath, absolute)

        let m = manifest.path
        XCTAssertEqual(problems.map(\.line), [3, 4, 5, 6, 7, 8, 9, 10, 11, 11])
        let lines = problems.map(\.description)
        XCTAssertEqual(lines[0], "\(m):3: missing.wav: no such file")
        XCTAssertEqual(lines[1], "\(m):4: empty.wav: file is empty (0 bytes)")
        XCTAssert(lines[2].hasPrefix("\(m):5: notaudio.wav: not an audio file libsndfile can read ("), lines[2])
        XCTAssertEqual(lines[3], "\(m):6: short.wav: audio is only 0.05 s long (the minimum is 0.1 s)")
        XCTAssertEqual(lines[4], "\(m):7: zero.wav: contains no audio samples (0 frames)")
        XCTAssertEqual(lines[5], "\(m):8: good.wav: transcript is empty after normalisation")
        XCTAssertEqual(lines[6], "\(m):9: good.wav: transcript contains 'é' (not in the alphabet)")
        XCTAssertEqual(lines[7], "\(m):10: expected 2 tab-separated columns (path, transcript), found 1")
        XCTAssertEqual(lines[8], "\(m):11: missing2.wav: no such file")
        XCTAssertEqual(lines[9], "\(m):11: missing2.wav: transcript contains 'ï', 'é' (not in the alphabet)")

        XCTAssertEqual(problems[0].kind, .audio(AudioError(path: dir.path + "/missing.wav", reason: .notFound)))
        XCTAssertEqual(problems[6].kind, .charactersOutsideAlphabet(["é"]))

        // The error `earshot train` prints: one line per problem, all of them.
        XCTAssertThrowsError(
            try ManifestValidation.usableEntries(manifest, alphabet: .english, checkAudio: true, skipInvalid: false)
        ) { error in
            XCTAssertEqual("\(error)", lines.joined(separator: "\n"))
        }
        // --skip-invalid: the valid ones, and what was skipped.
        let usable = try ManifestValidation.usableEntries(
            manifest, alphabet: .english, checkAudio: true, skipInvalid: true)
        XCTAssertEqual(usable.entries.map(\.line), [2, 12, 13])
        XCTAssertEqual(usable.skipped, problems)
    }

    func testAllValidManifest() throws {
        let manifest = try writeManifest("ok.tsv", "good.wav\tone\nsub/good2.wav\ttwo\n")
        let (valid, problems) = ManifestValidation.validate(manifest, alphabet: .english, checkAudio: true)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(valid.count, 2)
        let usable = try ManifestValidation.usableEntries(
            manifest, alphabet: .english, checkAudio: true, skipInvalid: false)
        XCTAssertEqual(usable.entries, valid)
        XCTAssertEqual(usable.skipped, [])
    }

    func testNoValidEntryIsAnErrorEvenWhenSkipping() throws {
        let manifest = try writeManifest("bad.tsv", "missing.wav\thello\n")
        XCTAssertThrowsError(
            try ManifestValidation.usableEntries(manifest, alphabet: .english, checkAudio: true, skipInvalid: true)
        ) { error in
            XCTAssertEqual("\(error)", manifest.path + ":1: missing.wav: no such file")
        }
    }

    func testWithoutAudioChecksTheManifestDurationsCount() throws {
        let manifest = try writeManifest(
            "m.jsonl",
            """
            {"audio_filepath": "nowhere.wav", "duration": 1.5, "text": "fine"}
            {"audio_filepath": "zero.wav", "duration": 0, "text": "zero length"}
            {"audio_filepath": "blip.wav", "duration": 0.04, "text": "too short"}
            {"audio_filepath": "unknown.wav", "text": "no duration given"}
            {"audio_filepath": "x.wav", "text": "bad json
            """)
        let (valid, problems) = ManifestValidation.validate(manifest, alphabet: .english, checkAudio: false)
        XCTAssertEqual(valid.map(\.line), [1, 4])
        XCTAssertEqual(
            problems.map(\.description),
            [
                manifest.path + ":2: zero.wav: audio is empty (0 s long)",
                manifest.path + ":3: blip.wav: audio is only 0.04 s long (the minimum is 0.1 s)",
                manifest.path + ":5: not valid JSON",
            ])
    }

    func testCheckingAudioUsesTheHeaderLength() throws {
        // The manifest claims 3 s, the file holds 0.05 s: the file wins.
        let manifest = try writeManifest(
            "m.json", "{\"audio_filepath\": \"short.wav\", \"duration\": 3, \"text\": \"x\"}\n")
        let (valid, problems) = ManifestValidation.validate(manifest, alphabet: .english, checkAudio: true)
        XCTAssertEqual(valid, [])
        XCTAssertEqual(problems.map(\.kind), [.tooShort(duration: 0.05, minimum: 0.1)])
        let lenient = ManifestValidation.validate(manifest, alphabet: .english, checkAudio: true, minimumDuration: 0.01)
        XCTAssertEqual(lenient.valid.count, 1)
    }

    func testOtherAlphabets() throws {
        let manifest = try writeManifest("m.tsv", "good.wav\tDon't stop\ngood.wav\tjazz\n")
        let noApostropheNoZ = Alphabet(characters: Array(" abcdefghijklmnopqrstuvwxy"))
        let (valid, problems) = ManifestValidation.validate(manifest, alphabet: noApostropheNoZ, checkAudio: false)
        XCTAssertEqual(
            valid.map(\.normalizedTranscript), ["dont stop"], "an apostrophe outside the alphabet is dropped")
        XCTAssertEqual(valid[0].labels, noApostropheNoZ.encode("dont stop"))
        XCTAssertEqual(problems.map(\.cause), ["transcript contains 'z' (not in the alphabet)"])
    }
}
