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
            Exit codes: 0 success; 1 some input could not be processed, or some output not written (each \
            is reported on stderr with its file and cause); 64 the command line itself is wrong; 74 standard \
            output could not be written (e.g. a full disk); 141 standard output was closed by its reader \
            (e.g. '| head'), ended quietly as SIGPIPE ends other tools ('stream' exits 0 then). SIGINT (Ctrl-C) \
            and SIGTERM end a command at once, removing the temporary file of any output being written (each \
            output is complete or absent), by the signal itself (the shell reports 130 or 143); 'train' writes \
            a checkpoint first and exits 130 or 143, 'stream' prints the last utterance and exits 0 (a second \
            signal ends either at once).
            """,
        version: versionText,
        subcommands: subcommands
    )

    /// Every subcommand; `serve` only in builds with the Server trait (`swift build --traits Server`).
    static var subcommands: [any ParsableCommand.Type] {
        var commands: [any ParsableCommand.Type] = [
            TranscribeCommand.self, EvalCommand.self, TrainCommand.self, LanguageModelCommand.self,
            FeaturesCommand.self, StreamCommand.self, PlotCommand.self,
        ]
        #if Server
            commands.append(ServeCommand.self)
        #endif
        return commands
    }

    static var versionText: String {
        "earshot \(earshotVersion)\n\(BLASRuntime.summary)"
    }

    /// Ignores SIGPIPE and checks buffered output at exit (`StandardOutput`: a failed write to standard
    /// output is reported, a closed one ends the program quietly), parses, moves to the fast OpenBLAS
    /// kernels when the command multiplies matrices (see `BLASRuntime.relaunchWithFasterBLASIfNeeded`: the
    /// library reads its CPU type only at load, so this re-executes the program once with it set), then
    /// takes over SIGINT and SIGTERM (`SignalStop`: no partial file is left when they end a command), then
    /// runs the command.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        StandardOutput.checkBufferedOutputAtExit()
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if command is MultipliesMatrices {
                BLASRuntime.relaunchWithFasterBLASIfNeeded()
            }
            SignalStop.shared.install()
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
