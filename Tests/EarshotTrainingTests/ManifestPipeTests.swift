import EarshotTestSupport
import EarshotTraining
import Foundation
import Testing

/// A manifest read from a pipe — process substitution (`earshot eval <(cat test.tsv)`) or a named pipe — is
/// read like a file; its relative audio paths start from the working directory, since a pipe has no folder
/// of its own (process substitution's `/dev/fd/63` is no place for audio files).
@Suite struct ManifestPipeTests {
    static let text = "path\ttranscript\nclips/yes.wav\tyes\n/data/no.wav\tno\n"
    static let workingDirectory = FileManager.default.currentDirectoryPath

    @Test func aManifestFromProcessSubstitutionIsRead() throws {
        let source = try PipeSource.processSubstitution(bytes: Data(Self.text.utf8))
        defer { source.finish() }
        let manifest = try Manifest.read(path: source.path)
        #expect(manifest.entries.map(\.audioPath) == [Self.workingDirectory + "/clips/yes.wav", "/data/no.wav"])
        #expect(manifest.entries.map(\.transcript) == ["yes", "no"])
    }

    @Test func aManifestFromANamedPipeIsRead() throws {
        try withTemporaryDirectory { directory in
            let source = try PipeSource.namedPipe(
                at: directory.appendingPathComponent("test.tsv").path, bytes: Data(Self.text.utf8))
            defer { source.finish() }
            let manifest = try Manifest.read(path: source.path)
            #expect(manifest.format == .tabSeparated)
            #expect(manifest.entries.map(\.audioPath) == [Self.workingDirectory + "/clips/yes.wav", "/data/no.wav"])
        }
    }

    /// A folder given as the manifest keeps its plain message.
    @Test func aFolderIsNotAManifest() throws {
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: ManifestError.unreadable(path: folder, cause: "is a directory, not a manifest file")) {
            try Manifest.read(path: folder)
        }
    }
}
