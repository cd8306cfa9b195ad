import EarshotTestSupport
import Foundation
import Testing

/// An input that is a folder is one line naming the path and the system's reason (never a Foundation error
/// dump such as "NSCocoaErrorDomain error 256").
@Suite struct FileErrorMessageCommandTests {
    static let model = TranscribeCommandTests.model
    static let clips = TranscribeCommandTests.clips
    static let timeout: TimeInterval = 120

    static func clip(_ name: String) -> String { clips.appendingPathComponent("\(name).wav").path }

    @Test func aLanguageModelThatIsAFolderIsOneLine() throws {
        try withTemporaryDirectory { directory in
            let result = try CommandRunner.run(
                "earshot", ["transcribe", Self.clip("yes"), "--model", Self.model, "--lm", directory.path],
                timeout: Self.timeout)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.split(separator: "\n")
                    == ["earshot: \(directory.path):0: cannot read the file: Is a directory"],
                "\(result.stderr)")
        }
    }
}
