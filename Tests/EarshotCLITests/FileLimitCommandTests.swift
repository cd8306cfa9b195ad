import EarshotTestSupport
import Foundation
import Testing

/// Files whose sizes or counts would make a command reserve more memory than the machine has are refused
/// before the memory is taken, with a message naming the file (and line) and the limit, in seconds.
@Suite struct FileLimitCommandTests {
    static let timeout: TimeInterval = 60

    /// `\data\` claiming a trillion unigrams: refused at its line, not an allocation that aborts.
    @Test func anARPAHeaderClaimingMoreThanTheFileHoldsIsRefused() throws {
        try withTemporaryDirectory { directory in
            let arpa = directory.appendingPathComponent("huge.arpa").path
            try "\\data\\\nngram 1=999999999999\n\n\\1-grams:\n-1 a\n\\end\\\n".write(
                toFile: arpa, atomically: true, encoding: .utf8)
            let result = try CommandRunner.run(
                "earshot",
                [
                    "transcribe", "--model", InvalidConfigCommandTests.tinyModel, "--lm", arpa,
                    InvalidConfigCommandTests.clip,
                ],
                timeout: Self.timeout)
            #expect(!result.crashed && !result.timedOut, "\(result.stderr)")
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(arpa):2: \\data\\ declares 999999999999 n-grams"), "\(result.stderr)")
        }
    }

    /// A manifest line of 2 MiB (over the 1 MiB limit) is reported with its line, among the other problems;
    /// reading it does not hold it.
    @Test(arguments: ["tsv", "jsonl"])
    func aManifestLineLongerThanTheLimitIsRefused(_ format: String) throws {
        try withTemporaryDirectory { directory in
            let clip = InvalidConfigCommandTests.clip
            let long = String(repeating: "word ", count: 2 << 20 / 5)
            let lines =
                format == "tsv"
                ? ["\(clip)\tyes", "\(clip)\t\(long)", "\(clip)\tyes"]
                : [
                    "{\"audio_filepath\": \"\(clip)\", \"text\": \"yes\"}",
                    "{\"audio_filepath\": \"\(clip)\", \"text\": \"\(long)\"}",
                    "{\"audio_filepath\": \"\(clip)\", \"text\": \"yes\"}",
                ]
            let manifest = directory.appendingPathComponent("train.\(format)").path
            try (lines.joined(separator: "\n") + "\n").write(toFile: manifest, atomically: true, encoding: .utf8)
            let result = try CommandRunner.run(
                "earshot", ["train", manifest, "-o", directory.appendingPathComponent("m.safetensors").path],
                timeout: Self.timeout)
            #expect(!result.crashed && !result.timedOut)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.contains("\(manifest):2: the line is longer than the limit of 1048576 bytes (1 MiB)"),
                "\(result.stderr)")
        }
    }

    /// A model file whose header length is over the 100 MB limit (sparse: no disk is used).
    @Test func aModelHeaderOverTheLimitIsRefused() throws {
        try withTemporaryDirectory { directory in
            let model = directory.appendingPathComponent("huge.safetensors").path
            let length: UInt64 = 100_000_001
            let prefix = Data((0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) })
            #expect(FileManager.default.createFile(atPath: model, contents: prefix))
            let handle = try #require(FileHandle(forWritingAtPath: model))
            try handle.truncate(atOffset: 8 + length)
            try handle.close()
            let result = try CommandRunner.run(
                "earshot", ["transcribe", "--model", model, InvalidConfigCommandTests.clip], timeout: Self.timeout)
            #expect(!result.crashed && !result.timedOut)
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "\(model): header length 100000001 bytes exceeds the limit of 100000000 bytes (100 MB)"),
                "\(result.stderr)")
        }
    }
}
