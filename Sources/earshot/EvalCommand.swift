import ArgumentParser
import Earshot
import EarshotDecoding
import EarshotNN
import EarshotTraining
import Foundation

/// `earshot eval`: word and character error rates of a model on a labelled manifest.
struct EvalCommand: ParsableCommand, MultipliesMatrices {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract:
            "Measure WER and CER of a model on labelled clips (corpus level, with substitutions, deletions, insertions).",
        discussion: """
            References and hypotheses go through the same normalisation as training (lower case, numbers \
            spelled out, punctuation removed). Rates are corpus-level: total edits over total reference words \
            (characters, spaces included, for CER), as jiwer computes them.

            Started by 'mpirun -np N', each of the N processes transcribes every N-th clip and rank 0 \
            prints the results, in manifest order, as one process would.
            """)

    @Argument(help: "Manifest of the clips (NeMo JSON lines, DeepSpeech CSV or path<TAB>transcript).")
    var manifest: String

    @OptionGroup var modelOption: ModelOption

    @Flag(help: "Print one JSON line per clip and a final summary line on standard output.")
    var json = false

    @Flag(name: .customLong("skip-invalid"), help: "Evaluate the valid lines when some are invalid.")
    var skipInvalid = false

    @OptionGroup(title: "Decoding")
    var decoding: DecodingOptionGroup

    @OptionGroup(title: "Streaming")
    var streaming: LatencyControlOptionGroup

    func run() throws {
        let share = try RankShare.join()
        let recognizer = try modelOption.loadRecognizer(decoding: decoding)
        let model = recognizer.model
        var options = TranscriptionOptions()
        options.latencyControl = streaming.latencyControl
        let entries: [ManifestEntry]
        do {
            let parsed = try Manifest.read(path: manifest)
            entries = try ManifestValidation.usableEntries(
                parsed, alphabet: model.config.alphabet, checkAudio: true, skipInvalid: skipInvalid
            ).entries
        } catch {
            Terminal.error("earshot: \(error)")
            throw ExitCode(1)
        }
        let normalizer = TextNormalizer(alphabet: model.config.alphabet)
        var accumulator = ErrorRateAccumulator()
        var audioSeconds = 0.0
        let started = Date()
        let bar = ProgressBar(
            total: Double(entries.count), label: "evaluating",
            enabled: Terminal.stderrIsTerminal && !json && share.world == nil)
        var own: [Int: Result<Transcribed, any Error>] = [:]
        var running = ErrorRateAccumulator()  // for the progress bar
        for i in share.indices(of: entries.count) {
            own[i] = Result {
                let transcript = try recognizer.transcribe(file: entries[i].audioPath, options: options)
                _ = running.add(
                    reference: entries[i].normalizedTranscript, hypothesis: normalizer.normalize(transcript.text))
                return Transcribed(text: transcript.text, duration: transcript.duration)
            }
            bar.update(Double(own.count), detail: String(format: "WER %.1f%%", running.wer * 100))
        }
        bar.finish()
        // Every rank's transcripts, on rank 0; the others are done. The first clip that failed, in manifest
        // order, ends the evaluation there.
        guard let transcribed = try share.gather(own, count: entries.count) else { return share.finish() }
        share.finish()
        for (i, entry) in entries.enumerated() {
            let transcript = try transcribed[i].get()
            audioSeconds += transcript.duration
            let hypothesis = normalizer.normalize(transcript.text)
            let errors = accumulator.add(reference: entry.normalizedTranscript, hypothesis: hypothesis)
            if json {
                printJSON([
                    "file": entry.writtenPath, "reference": errors.reference, "hypothesis": errors.hypothesis,
                    "wer": errors.wer, "cer": errors.cer, "duration": transcript.duration,
                ])
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        let w = accumulator.words, c = accumulator.characters
        if json {
            printJSON(
                [
                    "utterances": accumulator.utteranceCount, "wer": accumulator.wer, "cer": accumulator.cer,
                    "word_substitutions": w.substitutions, "word_deletions": w.deletions,
                    "word_insertions": w.insertions,
                    "reference_words": w.referenceLength, "char_substitutions": c.substitutions,
                    "char_deletions": c.deletions, "char_insertions": c.insertions,
                    "reference_chars": c.referenceLength, "audio_seconds": audioSeconds,
                    "real_time_factor": audioSeconds > 0 ? elapsed / audioSeconds : 0,
                    "chunk_steps": streaming.chunkSteps.map { $0 as Any } ?? NSNull(),
                    "lookahead_steps": streaming.chunkSteps == nil ? NSNull() : streaming.lookaheadSteps as Any,
                ]
                .merging(recognizer.decoding.report.jsonObject) { $1 })
        } else {
            StandardOutput.line(
                String(
                    format: "WER %.2f%% (%d substitutions, %d deletions, %d insertions of %d words)",
                    accumulator.wer * 100, w.substitutions, w.deletions, w.insertions, w.referenceLength))
            StandardOutput.line(
                String(
                    format: "CER %.2f%% (%d substitutions, %d deletions, %d insertions of %d characters)",
                    accumulator.cer * 100, c.substitutions, c.deletions, c.insertions, c.referenceLength))
            StandardOutput.line(
                String(
                    format: "%d clips, %.1f s of audio, real-time factor %.4f", accumulator.utteranceCount,
                    audioSeconds, audioSeconds > 0 ? elapsed / audioSeconds : 0))
            StandardOutput.line(
                "Decoding: \(recognizer.decoding.summary)"
                    + (streaming.chunkSteps.map { ", chunks of \($0) steps + \(streaming.lookaheadSteps) look-ahead" }
                        ?? ""))
        }
    }

    /// What eval keeps of a clip's transcript; it travels from the other ranks to rank 0.
    private struct Transcribed: Codable {
        var text: String
        var duration: Double
    }

    private func printJSON(_ object: [String: Any]) {
        if let data = try? JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        {
            Terminal.output(String(decoding: data, as: UTF8.self))
        }
    }
}
