import ArgumentParser
import EarshotDecoding
import EarshotIO
import Foundation

/// `earshot lm`: word n-gram language models for beam search.
struct LanguageModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lm", abstract: "Build word n-gram language models.", subcommands: [Build.self])

    /// `earshot lm build`: an interpolated modified Kneser–Ney model from plain text, as an ARPA file.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Estimate an n-gram language model from text and write it as ARPA.",
            discussion: """
                Each line of TEXT is one sentence; it is normalised as transcripts are (lower case, numbers \
                spelled out, punctuation removed). The model is interpolated modified Kneser-Ney (Chen & \
                Goodman; KenLM's lmplz method, with its fallback discounts when the counts give none), \
                written as a normalised ARPA file that KenLM and `earshot transcribe --lm` read.
                """)

        @Argument(help: "Text files, one sentence per line ('-' for standard input).")
        var text: [String]

        @Option(name: .shortAndLong, help: "The ARPA file to write.")
        var output: String

        @Option(help: "Order of the model (1 = unigrams).")
        var order: Int = 3

        func validate() throws {
            guard (1...6).contains(order) else { throw ValidationError("--order must be between 1 and 6") }
            guard !text.isEmpty else { throw ValidationError("give at least one text file") }
        }

        func run() throws {
            let normalizer = TextNormalizer()
            var counts = NGramCounts(order: order)
            var sentences = 0
            for path in text {
                let content: String
                if path == "-" {
                    content = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                } else {
                    do {
                        content = String(decoding: try FileContents.read(path: path), as: UTF8.self)
                    } catch {
                        Terminal.error("earshot: \(error)")  // the path and the system's reason
                        throw ExitCode(1)
                    }
                }
                for line in content.split(whereSeparator: \.isNewline) {
                    let normalized = normalizer.normalize(String(line))
                    guard !normalized.isEmpty else { continue }
                    counts.add(line: normalized)
                    sentences += 1
                }
            }
            guard sentences > 0 else {
                Terminal.error("earshot: no text to count in \(text.joined(separator: ", "))")
                throw ExitCode(1)
            }
            do {
                try counts.writeARPA(toFile: output)
            } catch {
                Terminal.error("earshot: \(error)")  // AtomicFileError: the path, the step, the system's reason
                throw ExitCode(1)
            }
            Terminal.error(
                "earshot: \(sentences) sentences, \(counts.vocabulary.count) words → \(output) (order \(order))")
        }
    }
}
