import ArgumentParser
import EarshotNN
import Foundation

/// The `earshot` command line: one root command, a subcommand per job.
@main
struct EarshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot",
        abstract: "Offline speech recognition: audio → log-mel features → BiLSTM-CTC → text.",
        discussion: """
            Exit codes: 0 success; 1 some input could not be processed (each is reported on stderr \
            with its file and cause); 64 the command line itself is wrong.
            """,
        version: versionText,
        subcommands: [
            TranscribeCommand.self, EvalCommand.self, TrainCommand.self, LanguageModelCommand.self,
            FeaturesCommand.self, StreamCommand.self,
        ]
    )

    static var versionText: String {
        "earshot \(earshotVersion)\n\(BLASRuntime.summary)"
    }

    /// Parses, moves to the fast OpenBLAS kernels when the command multiplies matrices (see
    /// `BLASRuntime.relaunchWithFasterBLASIfNeeded`: the library reads its CPU type only at load, so
    /// this re-executes the program once with it set), then runs the command.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if command is MultipliesMatrices {
                BLASRuntime.relaunchWithFasterBLASIfNeeded()
            }
            try command.run()
        } catch {
            if arguments.contains("--version") {
                BLASRuntime.relaunchWithFasterBLASIfNeeded()
            }
            exit(withError: error)
        }
    }
}

/// The release this build is.
let earshotVersion = "0.1.0"

/// Commands whose work is matrix products on OpenBLAS; they run after the BLAS kernel check.
protocol MultipliesMatrices {}
