import EarshotTestSupport
import Foundation
import Testing

/// `--precision` on `transcribe`, `eval` and `stream`: int8 LSTM weights give the tiny fixture model's
/// transcripts unchanged, a value that is not a precision is a usage error naming the choices, and the help
/// of each command explains the option with its default.
@Suite struct PrecisionCommandTests {
    @Test func int8TranscribesTheTrainingClipsAsFloat32Does() throws {
        for precision in ["f32", "int8"] {
            let result = try CommandRunner.run(
                "earshot",
                [
                    "transcribe", TranscribeCommandTests.clips.path, "--model", TranscribeCommandTests.model,
                    "--precision", precision,
                ])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdoutText.split(separator: "\n").map { $0.split(separator: "\t") }
            #expect(lines.count == 6)
            for line in lines {
                let name = URL(fileURLWithPath: String(line[0])).deletingPathExtension().lastPathComponent
                #expect(String(line[1]) == TranscribeCommandTests.transcripts[name], "\(precision) \(name)")
            }
        }
    }

    @Test func aBadPrecisionIsAUsageError() throws {
        let result = try CommandRunner.run(
            "earshot",
            [
                "transcribe", TranscribeCommandTests.clips.path, "--model", TranscribeCommandTests.model, "--precision",
                "fp8",
            ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--precision") && result.stderr.contains("fp8"), "\(result.stderr)")
    }

    @Test(arguments: ["transcribe", "eval", "stream"])
    func helpExplainsPrecision(_ command: String) throws {
        let help = try CommandRunner.run("earshot", [command, "--help"]).stdoutText
        #expect(help.contains("--precision") && help.contains("int8") && help.contains("Default: f32"), "\(help)")
    }
}
