import ArgumentParser
import EarshotDecoding
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
                spelled out, punctuation removed). Words are learnt whole: a letter with an accent is folded to \
                its base letter when that is in the alphabet (café → cafe, naïve → naive); a word with any other \
                character outside the alphabet (straße, σωκράτης) is left out whole, and the number left out is \
                shown. Text that is not UTF-8 is an error naming the line and the byte; so is a line over \
                1 MiB, and a file more than half of whose lines give no word in the alphabet. The model is \
                interpolated modified Kneser-Ney (Chen & Goodman; KenLM's lmplz method, with its fallback \
                discounts when the counts give none), written as a normalised ARPA file that KenLM and \
                `earshot transcribe --lm` read.
                """)

        @Argument(help: "Text files, one sentence per line ('-' for standard input).")
        var text: [String]

        @Option(name: .shortAndLong, help: "The ARPA file to write ('-' for standard output).")
        var output: String

        @Option(help: "Order of the model (1 = unigrams).")
        var order: Int = 3

        func validate() throws {
            guard (1...6).contains(order) else { throw ValidationError("--order must be between 1 and 6") }
            guard !text.isEmpty else { throw ValidationError("give at least one text file") }
        }

        /// Counts every text file (`CorpusWords` keeps whole words in the alphabet), printing what each
        /// left out, then writes the model.
        func run() throws {
            let words = CorpusWords()
            var counts = NGramCounts(order: order)
            for path in text {
                do {
                    let reader =
                        path == "-"
                        ? TextLineReader(fileDescriptor: 0, name: "<stdin>") : try TextLineReader(path: path)
                    let report = try counts.add(corpus: reader, words: words)
                    for warning in report.warnings { Terminal.error("earshot: " + warning) }
                } catch {
                    Terminal.error("earshot: \(error)")
                    throw ExitCode(1)
                }
            }
            let sentences = counts.sentenceCount
            guard sentences > 0 else {
                Terminal.error("earshot: no text to count in \(text.joined(separator: ", "))")
                throw ExitCode(1)
            }
            if output == "-" {
                StandardOutput.write(counts.arpaText())  // a failed write ends the program (StandardOutput)
            } else {
                do {
                    try counts.writeARPA(toFile: output)
                } catch {
                    Terminal.error("earshot: \(error)")  // AtomicFileError: the path, the step, the system's reason
                    throw ExitCode(1)
                }
            }
            Terminal.error(
                "earshot: \(sentences) sentences, \(counts.vocabulary.count) words → \(output == "-" ? "standard output" : output) (order \(order))"
            )
        }
    }
}
