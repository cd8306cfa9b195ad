import ArgumentParser
import Earshot
import Foundation

/// `--model`, and where Earshot looks for its shipped model when it is not given.
struct ModelOption: ParsableArguments {
    static let shippedModelName = "earshot-en.safetensors"

    @Option(name: .shortAndLong,
            help: "Acoustic model file. Default: $EARSHOT_MODEL, else Models/\(shippedModelName) beside the executable's package or in the current folder.")
    var model: String?

    /// The places tried for the default model, in order.
    static var defaultCandidates: [String] {
        var candidates: [String] = []
        if let environment = ProcessInfo.processInfo.environment["EARSHOT_MODEL"], !environment.isEmpty {
            candidates.append(environment)
        }
        // .build/<configuration>/earshot → the package root is two levels up from the executable's folder.
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("Models/\(shippedModelName)").path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/Models/\(shippedModelName)")
        candidates.append("/usr/local/share/earshot/\(shippedModelName)")
        var seen = Set<String>()
        return candidates.filter { seen.insert(URL(fileURLWithPath: $0).standardized.path).inserted }
    }

    /// The chosen model file: `--model`, else the first default candidate that exists; or says where it looked.
    func path() throws -> String {
        if let model { return model }
        if let found = Self.defaultCandidates.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            return found
        }
        throw ModelNotFound(candidates: Self.defaultCandidates)
    }
}

/// No `--model` and no model in any default place.
struct ModelNotFound: Error, CustomStringConvertible {
    var candidates: [String]
    var description: String {
        "no model given and none found; looked for:\n" + candidates.map { "  \($0)" }.joined(separator: "\n")
            + "\ngive one with --model (or train one with 'earshot train')"
    }
}
