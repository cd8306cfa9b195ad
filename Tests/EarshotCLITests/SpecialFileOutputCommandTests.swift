import EarshotTestSupport
import Foundation
import Testing

/// `-o` naming something that is not a regular file — a device node such as `/dev/null`, a named pipe — is
/// written through, never replaced: renaming a temporary file over `/dev/null` (which root may do) would
/// leave a regular file where every program expects the device.
@Suite struct SpecialFileOutputCommandTests {
    static let clips = TranscribeCommandTests.clips
    static let timeout: TimeInterval = 300

    /// The arguments of each command that writes a file with `-o`, its inputs made in `directory`.
    static func arguments(_ command: String, in directory: URL) throws -> [String] {
        switch command {
        case "features":
            return ["features", clips.appendingPathComponent("yes.wav").path]
        case "lm build":
            let text = directory.appendingPathComponent("text.txt")
            try "go left\nstop now\nopen the door\n".write(to: text, atomically: true, encoding: .utf8)
            return ["lm", "build", text.path]
        default:
            let manifest = directory.appendingPathComponent("train.tsv")
            let lines = ["yes", "no", "go_left"].map {
                clips.appendingPathComponent("\($0).wav").path + "\t" + $0.replacingOccurrences(of: "_", with: " ")
            }
            try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
            return [
                "train", manifest.path, "--hidden-size", "8", "--layers", "1", "--mel-bins", "20", "--speed-factors",
                "1", "--epochs", "1", "--batch-size", "3", "--quiet",
            ]
        }
    }

    @Test(
        .enabled(if: SpecialFiles.canMakeDevices, "making a device node needs root or CAP_MKNOD"),
        arguments: ["features", "lm build", "train"])
    func outputToADeviceLeavesTheDevice(_ command: String) throws {
        try withTemporaryDirectory { directory in
            let device = directory.appendingPathComponent("mynull").path
            try SpecialFiles.makeNullDevice(at: device)
            let result = try CommandRunner.run(
                "earshot", try Self.arguments(command, in: directory) + ["-o", device], timeout: Self.timeout)
            #expect(!result.timedOut && !result.crashed)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(SpecialFiles.isNullDevice(device), "the device was replaced")
        }
    }

    /// `features -o fifo`: the reader of the named pipe gets the .npy file, and the pipe stays a pipe. (The
    /// reading end is opened first and the features of the short clip fit in the pipe.)
    @Test func featuresToANamedPipeReachItsReader() throws {
        try withTemporaryDirectory { directory in
            let fifo = directory.appendingPathComponent("features.fifo").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            defer { close(reader) }
            let result = try CommandRunner.run(
                "earshot", try Self.arguments("features", in: directory) + ["-o", fifo], timeout: Self.timeout)
            #expect(result.status == 0, "\(result.stderr)")
            let received = SpecialFiles.readAvailable(reader)
            #expect(received.starts(with: [0x93] + Array("NUMPY".utf8)), "\(received.count) bytes")
            #expect(SpecialFiles.isNamedPipe(fifo), "the named pipe was replaced")
        }
    }
}
