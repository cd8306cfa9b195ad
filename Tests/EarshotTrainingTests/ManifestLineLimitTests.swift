import EarshotTestSupport
import EarshotTraining
import Foundation
import Testing

/// A manifest line longer than `ManifestReader.maximumLineLength` (1 MiB) is a problem of its own, named
/// with its line, in every format; the lines around it are read as usual.
@Suite struct ManifestLineLimitTests {
    static let long = String(repeating: "word ", count: (ManifestReader.maximumLineLength + 5) / 5)

    static let manifests: [(name: String, text: String)] = [
        ("m.tsv", "a.wav\tyes\nb.wav\t\(long)\nc.wav\tno\n"),
        (
            "m.jsonl",
            "{\"audio_filepath\": \"a.wav\", \"text\": \"yes\"}\n{\"text\": \"\(long)\"}\n"
                + "{\"audio_filepath\": \"c.wav\", \"text\": \"no\"}\n"
        ),
        ("m.csv", "wav_filename,wav_filesize,transcript\na.wav,1,yes\n\(long)\nc.wav,1,no\n"),
    ]

    @Test(arguments: manifests)
    func theLongLineIsAProblemNamingItsLine(name: String, text: String) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let manifest = try Manifest.read(path: path)
            #expect(manifest.entries.map(\.writtenPath) == ["a.wav", "c.wav"])
            #expect(manifest.entries.allSatisfy { $0.manifest == path })
            let lineNumber = name == "m.csv" ? 3 : 2
            let length = text.split(separator: "\n")[lineNumber - 1].utf8.count
            #expect(
                manifest.malformedLines.map(\.description) == [
                    "\(path):\(lineNumber): the line is longer than the limit of 1048576 bytes (1 MiB): \(length) bytes"
                ])
            // The same text parsed from memory says the same.
            #expect(try ManifestReader.parse(text, path: path).malformedLines == manifest.malformedLines)
        }
    }

    @Test func theLongLineStopsTrainingWithEveryOtherProblem() throws {
        let manifest = try ManifestReader.parse(Self.manifests[0].text, path: "/corpus/m.tsv")
        let error = try #require(throws: ManifestError.self) {
            try ManifestValidation.usableEntries(
                manifest, alphabet: manifest.normalizer.alphabet, checkAudio: false, skipInvalid: false)
        }
        #expect("\(error)".hasPrefix("/corpus/m.tsv:2: the line is longer than the limit"))
    }
}
