import Earshot
import EarshotTestSupport
import Foundation
import Testing

/// Every command that writes a file, on a full or read-only disk (a small tmpfs): one line naming the file and
/// the system's reason, status 1, no partial or temporary file, and the file it was to replace still as it was
/// (`train`: the previous model and both checkpoints). `transcribe --output-dir` is in
/// `FileErrorMessageCommandTests`.
@Suite(.enabled(if: TemporaryMount.isPermitted, "mounting a tmpfs needs root with CAP_SYS_ADMIN"))
struct FullDiskCommandTests {
    static let clips = TranscribeCommandTests.clips
    static let timeout: TimeInterval = 300
    static let names = ["yes", "no", "go_left"]

    enum Disk: String, CaseIterable {
        case full, readOnly
    }

    /// Makes `disk` of the tmpfs at `folder` what it should be: full, or read-only.
    static func make(_ disk: Disk, _ folder: URL) throws {
        switch disk {
        case .full: TemporaryMount.fill(folder)
        case .readOnly: try TemporaryMount.remountReadOnly(folder)
        }
    }

    /// The contents of every file under `folder` but the filler, by path relative to it.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let name = enumerator?.nextObject() as? String {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard name != "filler", FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder),
                !isFolder.boolValue
            else { continue }
            files[name] = try Data(contentsOf: url)
        }
        return files
    }

    /// The reason the system gives for `disk`.
    static func reason(_ disk: Disk) -> String {
        disk == .full ? "No space left on device" : "Read-only file system"
    }

    /// The lines of standard error that name `path`: exactly one, `earshot: <path>: <step> failed: <reason>`.
    static func expectOneLine(_ result: CommandResult, naming path: String, disk: Disk) {
        #expect(result.status == 1 && !result.crashed, "status \(result.status): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n").filter { $0.contains(path) }
        #expect(
            lines.count == 1 && lines[0].hasPrefix("earshot: \(path): ") && lines[0].hasSuffix(Self.reason(disk)),
            "\(result.stderr)")
        #expect(!result.stderr.contains("Domain"), "\(result.stderr)")
    }

    @Test(arguments: Disk.allCases)
    func featuresLeavesThePreviousFile(_ disk: Disk) throws {
        try TemporaryMount.withTmpfs(bytes: 1 << 20) { folder in
            let output = folder.appendingPathComponent("yes.npy")
            try Data("the previous features\n".utf8).write(to: output)
            let before = try Self.snapshot(folder)
            try Self.make(disk, folder)
            let result = try CommandRunner.run(
                "earshot", ["features", Self.clips.appendingPathComponent("yes.wav").path, "-o", output.path],
                timeout: Self.timeout)
            Self.expectOneLine(result, naming: output.path, disk: disk)
            #expect(try Self.snapshot(folder) == before, "a file was changed, added or left behind")
        }
    }

    @Test(arguments: Disk.allCases)
    func languageModelBuildLeavesThePreviousFile(_ disk: Disk) throws {
        try withTemporaryDirectory { directory in
            let text = directory.appendingPathComponent("text.txt")
            try String(repeating: "go left\nstop now\nopen the door\n", count: 2000).write(
                to: text, atomically: true, encoding: .utf8)
            try TemporaryMount.withTmpfs(bytes: 1 << 20) { folder in
                let output = folder.appendingPathComponent("lm.arpa")
                try Data("the previous model\n".utf8).write(to: output)
                let before = try Self.snapshot(folder)
                try Self.make(disk, folder)
                let result = try CommandRunner.run(
                    "earshot", ["lm", "build", text.path, "-o", output.path], timeout: Self.timeout)
                Self.expectOneLine(result, naming: output.path, disk: disk)
                #expect(try Self.snapshot(folder) == before, "a file was changed, added or left behind")
            }
        }
    }

    /// A model trained once, then a second run to the same files on a disk that has since filled up or turned
    /// read-only: the previous model and checkpoints stay complete, loadable and unchanged.
    @Test(arguments: Disk.allCases)
    func trainLeavesThePreviousModelAndCheckpoints(_ disk: Disk) throws {
        try withTemporaryDirectory { directory in
            let manifest = directory.appendingPathComponent("train.tsv")
            let lines = Self.names.map {
                Self.clips.appendingPathComponent("\($0).wav").path + "\t" + $0.replacingOccurrences(of: "_", with: " ")
            }
            try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
            try TemporaryMount.withTmpfs(bytes: 4 << 20) { folder in
                let model = folder.appendingPathComponent("m.safetensors")
                let arguments = [
                    "train", manifest.path, "-o", model.path, "--hidden-size", "8", "--layers", "1", "--mel-bins",
                    "20", "--speed-factors", "1", "--epochs", "2", "--batch-size", "3", "--quiet",
                ]
                let first = try CommandRunner.run("earshot", arguments, timeout: Self.timeout)
                #expect(first.status == 0, "\(first.stderr)")
                let before = try Self.snapshot(folder)
                #expect(
                    before.keys.sorted() == [
                        "m.checkpoints/best.safetensors", "m.checkpoints/last.safetensors", "m.safetensors",
                    ])
                try Self.make(disk, folder)
                let second = try CommandRunner.run("earshot", arguments + ["--seed", "2"], timeout: Self.timeout)
                #expect(second.status == 1 && !second.crashed, "status \(second.status): \(second.stderr)")
                let errors = second.stderr.split(separator: "\n").filter { $0.hasPrefix("earshot: ") }
                #expect(
                    errors.count == 1 && errors[0].hasPrefix("earshot: \(folder.path)/")
                        && errors[0].hasSuffix(Self.reason(disk)), "\(second.stderr)")
                #expect(try Self.snapshot(folder) == before, "a file was changed, added or left behind")
                #expect(throws: Never.self) { try AcousticModel.load(path: model.path) }
            }
        }
    }
}
