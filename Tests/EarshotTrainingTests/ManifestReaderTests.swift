import EarshotDecoding
import EarshotTestSupport
import EarshotTraining
import Foundation
import XCTest

/// Parsing the three manifest formats: the sample files in Fixtures (manifest_*) and hand-written text.
final class ManifestReaderTests: XCTestCase {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    /// Parses `text` as the manifest `/corpus/<name>`.
    func parse(_ text: String, name: String = "m.tsv", format: ManifestFormat? = nil) throws -> Manifest {
        try ManifestReader.parse(text, path: "/corpus/" + name, format: format)
    }

    func testNeMoJSONLines() throws {
        let manifest = try Manifest.read(path: fixture("manifest_nemo.jsonl"))
        XCTAssertEqual(manifest.format, .nemoJSONLines)
        XCTAssertEqual(manifest.malformedLines, [])
        XCTAssertEqual(manifest.entries.map(\.line), [1, 2, 4])
        XCTAssertEqual(
            manifest.entries.map(\.audioPath),
            [
                Self.fixtures.path + "/audio/0001.wav", "/data/corpus/0002.flac",
                Self.fixtures.path + "/audio/0003.wav",
            ])
        XCTAssertEqual(
            manifest.entries.map(\.writtenPath), ["audio/0001.wav", "/data/corpus/0002.flac", "audio/0003.wav"])
        XCTAssertEqual(manifest.entries.map(\.duration), [2.35, nil, 1])
        XCTAssertEqual(manifest.entries[1].transcript, "he said \"hello\" twice", "escaped quotes")
        XCTAssertEqual(manifest.entries[1].normalizedTranscript, "he said hello twice")
        XCTAssertEqual(manifest.entries[0].labels, Alphabet.english.encode("press one for sales"))
    }

    func testDeepSpeechCSV() throws {
        let manifest = try Manifest.read(path: fixture("manifest_deepspeech.csv"))
        XCTAssertEqual(manifest.format, .deepSpeechCSV)
        XCTAssertEqual(manifest.malformedLines, [])
        XCTAssertEqual(manifest.entries.map(\.line), [2, 3, 4])
        XCTAssertEqual(
            manifest.entries.map(\.writtenPath), ["audio/0001.wav", "audio/with, comma.wav", "/data/corpus/0003.wav"])
        XCTAssertEqual(
            manifest.entries.map(\.transcript), ["press one for sales", "one, two, three", "she said \"yes\""])
        XCTAssertEqual(manifest.entries.map(\.duration), [nil, nil, nil])
        XCTAssertEqual(manifest.entries[2].audioPath, "/data/corpus/0003.wav")
    }

    func testTabSeparated() throws {
        let manifest = try Manifest.read(path: fixture("manifest_plain.tsv"))
        XCTAssertEqual(manifest.format, .tabSeparated)
        XCTAssertEqual(manifest.malformedLines, [])
        XCTAssertEqual(manifest.entries.map(\.line), [4, 5, 6], "comment, header and blank line skipped")
        XCTAssertEqual(
            manifest.entries.map(\.audioPath),
            [
                Self.fixtures.path + "/audio/0001.wav", Self.fixtures.path + "/../elsewhere/0002.wav",
                "/data/corpus/0003.wav",
            ])
        XCTAssertEqual(
            manifest.entries.map(\.normalizedTranscript), ["press one for sales", "call forward on no answer", "p b x"])
    }

    func testCSVQuoting() throws {
        let text =
            "wav_filename,wav_filesize,transcript\n"
            + "a.wav,1,\"commas, inside\"\n"
            + "\"b.wav\",2,\"a \"\"quoted\"\" word\"\n"
            + "c.wav,3,\"two\nlines\"\n"
            + "d.wav,4,plain\n"
        let manifest = try parse(text, name: "m.csv")
        XCTAssertEqual(manifest.malformedLines, [])
        XCTAssertEqual(
            manifest.entries.map(\.transcript), ["commas, inside", "a \"quoted\" word", "two\nlines", "plain"])
        XCTAssertEqual(manifest.entries.map(\.line), [2, 3, 4, 6], "a record spanning lines keeps its first line")
        XCTAssertEqual(manifest.entries[2].normalizedTranscript, "two lines")
    }

    func testCSVColumnsInAnyOrder() throws {
        let manifest = try parse("transcript,wav_filename\nhello,a.wav\n", name: "m.csv")
        XCTAssertEqual(manifest.entries.map(\.writtenPath), ["a.wav"])
        XCTAssertEqual(manifest.entries.map(\.transcript), ["hello"])
    }

    func testRelativePathsStartAtTheManifestFolder() throws {
        let manifest = try parse("a.wav\tx\n./sub/b.wav\ty\n/abs/c.wav\tz\n")
        XCTAssertEqual(manifest.entries.map(\.audioPath), ["/corpus/a.wav", "/corpus/sub/b.wav", "/abs/c.wav"])
        let relative = try ManifestReader.parse("a.wav\tx\n", path: "lists/train.tsv")
        XCTAssertEqual(
            relative.entries[0].audioPath, FileManager.default.currentDirectoryPath + "/lists/a.wav",
            "a relative manifest path starts at the working directory")
    }

    func testFormatDetection() {
        XCTAssertEqual(ManifestFormat.detect(text: "{\"audio_filepath\": \"a\"}", path: "x.txt"), .nemoJSONLines)
        XCTAssertEqual(ManifestFormat.detect(text: "wav_filename,wav_filesize,transcript\n", path: "x"), .deepSpeechCSV)
        XCTAssertEqual(ManifestFormat.detect(text: "# c\n\na.wav\thi\n", path: "x"), .tabSeparated)
        XCTAssertEqual(ManifestFormat.detect(text: "garbage\n", path: "x.json"), .nemoJSONLines)
        XCTAssertEqual(ManifestFormat.detect(text: "garbage\n", path: "x.CSV"), .deepSpeechCSV)
        XCTAssertEqual(ManifestFormat.detect(text: "garbage\n", path: "dir.v2/x.txt"), .tabSeparated)
        XCTAssertNil(ManifestFormat.detect(text: "garbage\n", path: "dir.v2/x"))
        XCTAssertThrowsError(try parse("garbage\n", name: "list")) { error in
            guard case ManifestError.unrecognizedFormat = error else { return XCTFail("\(error)") }
        }
    }

    func testExplicitFormatOverridesDetection() throws {
        let manifest = try parse("a.wav\tb\n", name: "m.json", format: .tabSeparated)
        XCTAssertEqual(manifest.entries.count, 1)
    }

    func testMalformedLinesAreKeptWithTheirLineNumbers() throws {
        let json = try parse(
            """
            {"audio_filepath": "a.wav", "text": "fine"}
            {"audio_filepath": "b.wav", "text": "unterminated
            [1, 2]
            {"text": "no path"}
            {"audio_filepath": "e.wav"}
            {"audio_filepath": "f.wav", "text": 5}
            {"audio_filepath": "g.wav", "text": "x", "duration": -1}
            {"audio_filepath": "h.wav", "text": "x", "duration": "long"}
            """, name: "m.jsonl")
        XCTAssertEqual(json.entries.map(\.line), [1])
        XCTAssertEqual(
            json.malformedLines.map(\.description),
            [
                "/corpus/m.jsonl:2: not valid JSON",
                "/corpus/m.jsonl:3: not a JSON object",
                "/corpus/m.jsonl:4: missing field \"audio_filepath\"",
                "/corpus/m.jsonl:5: e.wav: missing field \"text\"",
                "/corpus/m.jsonl:6: field \"text\" is not a string",
                "/corpus/m.jsonl:7: g.wav: \"duration\" is negative (-1.0)",
                "/corpus/m.jsonl:8: field \"duration\" is not a number",
            ])

        let tsv = try parse("path\ttranscript\na.wav\tok\nno tab here\nb.wav\tone\ttwo\n\tno path\n")
        XCTAssertEqual(tsv.entries.map(\.line), [2])
        XCTAssertEqual(
            tsv.malformedLines.map(\.description),
            [
                "/corpus/m.tsv:3: expected 2 tab-separated columns (path, transcript), found 1",
                "/corpus/m.tsv:4: b.wav: expected 2 tab-separated columns (path, transcript), found 3",
                "/corpus/m.tsv:5: empty audio path",
            ])

        let csv = try parse(
            "wav_filename,wav_filesize,transcript\na.wav,1,ok\nb.wav,2,one, two\n,3,x\nc.wav,4,\"open\n", name: "m.csv")
        XCTAssertEqual(csv.entries.map(\.line), [2])
        XCTAssertEqual(csv.malformedLines.map(\.line), [3, 4, 5])
        XCTAssertEqual(
            csv.malformedLines[0].cause,
            "expected 3 comma-separated columns, found 4 (a transcript with commas must be in double quotes)")
        XCTAssertEqual(csv.malformedLines[1].cause, "empty wav_filename")
        XCTAssertEqual(csv.malformedLines[2].cause, "a quoted field is never closed (missing \")")
    }

    func testCSVWithoutHeaderIsRejected() {
        XCTAssertThrowsError(try parse("a.wav,1,hello\n", name: "m.csv")) { error in
            guard case ManifestError.unrecognizedFormat(_, let cause) = error else { return XCTFail("\(error)") }
            XCTAssert(cause.contains("wav_filename,wav_filesize,transcript"), cause)
        }
    }

    func testEmptyManifestIsAnError() {
        let cases = [
            ("", "m.tsv"), ("# only a comment\n\n", "m.tsv"), ("path\ttranscript\n", "m.tsv"), ("\n\n", "m.jsonl"),
            ("wav_filename,wav_filesize,transcript\r\n", "m.csv"), ("", "m.csv"),
        ]
        for (text, name) in cases {
            XCTAssertThrowsError(try parse(text, name: name), "\(name): \(text.debugDescription)") { error in
                XCTAssertEqual(error as? ManifestError, .empty(path: "/corpus/" + name))
                XCTAssertEqual("\(error)", "/corpus/\(name): the manifest has no entries")
            }
        }
    }

    func testUnreadableManifests() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertThrowsError(try Manifest.read(path: dir.path + "/missing.tsv")) { error in
            XCTAssertEqual("\(error)", dir.path + "/missing.tsv: no such file")
        }
        XCTAssertThrowsError(try Manifest.read(path: dir.path)) { error in
            XCTAssertEqual("\(error)", dir.path + ": is a directory, not a manifest file")
        }
        let latin1 = dir.appendingPathComponent("latin1.tsv")
        try Data([0x61, 0x2E, 0x77, 0x61, 0x76, 0x09, 0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: latin1)
        XCTAssertThrowsError(try Manifest.read(path: latin1.path)) { error in
            XCTAssertEqual("\(error)", latin1.path + ":1: not UTF-8 text (an invalid byte at offset 9 of the file)")
        }
    }

    func testByteOrderMarkAndCRLF() throws {
        let manifest = try parse("\u{FEFF}path\ttranscript\r\na.wav\thello\r\n")
        XCTAssertEqual(manifest.entries.map(\.writtenPath), ["a.wav"])
        XCTAssertEqual(manifest.entries.map(\.transcript), ["hello"])
    }
}
