import EarshotTestSupport
import Foundation
import Testing

/// The line `transcribe` ends with on standard error: files, seconds of audio, time taken, real-time factor,
/// failures, and the decoding.
@Suite struct TranscribeSummaryCommandTests {
    static let model = TranscribeCommandTests.model
    static let timeout: TimeInterval = 120

    /// The summary after a missing file: counts and times, then the decoding, nothing garbled.
    @Test func transcribeSummarisesAMissingFile() throws {
        let result = try CommandRunner.run(
            "earshot", ["transcribe", "/nonexistent.wav", "--model", Self.model], timeout: Self.timeout)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first == "earshot: /nonexistent.wav: no such file", "\(result.stderr)")
        let summary = try #require(lines.last)
        #expect(
            summary.wholeMatch(
                of:
                    /earshot: 1 file, 0\.0 s of audio in \d+\.\d\d s \(real-time factor 0\.0000\), 1 failed; beam 32, .+/
            )
                != nil, "\(summary)")
        #expect(!summary.contains("(null)"), "\(summary)")
    }
}
