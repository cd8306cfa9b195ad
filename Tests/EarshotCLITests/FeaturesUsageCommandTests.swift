import EarshotTestSupport
import Foundation
import Testing

/// `earshot features` options out of range are usage errors (status 64) naming the flag, with the library's
/// rule (the options validate themselves; the command line only names the flag).
@Suite struct FeaturesUsageCommandTests {
    static let clip = TranscribeCommandTests.clips.appendingPathComponent("yes.wav").path
    static let timeout: TimeInterval = 120

    /// `--stack-stride 0` is a usage error (status 64), like every other option out of range.
    @Test func stackStrideZeroIsAUsageError() throws {
        let result = try CommandRunner.run(
            "earshot", ["features", Self.clip, "--stack-stride", "0", "-o", "/dev/null"], timeout: Self.timeout)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--stack-stride must be at least 1, got 0"), "\(result.stderr)")
    }
}
