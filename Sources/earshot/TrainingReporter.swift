import EarshotTraining
import Foundation

/// Shows a `Trainer`'s events: progress bars on a terminal, one line per epoch on stderr, JSON lines on
/// stdout with `--json`.
final class TrainingReporter {
    private let epochs: Int
    private let json: Bool
    private let quiet: Bool
    private let secondsPerStep: Double
    private var bar: ProgressBar?
    private var barKey = ""
    private var recentLoss: Double?

    init(epochs: Int, json: Bool, quiet: Bool, secondsPerStep: Double) {
        self.epochs = epochs
        self.json = json
        self.quiet = quiet
        self.secondsPerStep = secondsPerStep
    }

    func handle(_ event: TrainingEvent) {
        switch event {
        case .preparing(let done, let total):
            progress(key: "features", total: total, label: "features", done: done, detail: "\(done)/\(total) clips")
        case .batch(let epoch, let batch, let count, let loss, let rate, let stepsPerSecond):
            recentLoss = recentLoss.map { 0.9 * $0 + 0.1 * loss } ?? loss
            let speed = stepsPerSecond * secondsPerStep
            progress(
                key: "epoch\(epoch)", total: count, label: "epoch \(epoch + 1)/\(epochs)", done: batch + 1,
                detail: String(format: "loss %.3f · lr %.2g · %.0f× real time", recentLoss ?? loss, rate, speed))
        case .skippedBatch(let epoch, let batch):
            say("epoch \(epoch + 1): batch \(batch + 1) skipped: non-finite loss or gradient")
        case .epoch(let summary, let improved):
            endBar()
            let rates = String(
                format: "epoch %d/%d: loss %.3f, validation CER %.2f%% WER %.2f%%", summary.epoch + 1, epochs,
                summary.trainingLoss, summary.validationCER * 100, summary.validationWER * 100)
            say(rates + (improved ? ", best so far" : "") + String(format: " (%.0f s)", summary.seconds))
            if json {
                // An epoch whose every batch was skipped has no loss: null (JSON has no NaN).
                var line: [String: Any] = [
                    "epoch": summary.epoch + 1,
                    "loss": summary.trainingLoss.isFinite ? summary.trainingLoss as Any : NSNull(),
                    "cer": summary.validationCER,
                    "wer": summary.validationWER, "seconds": summary.seconds, "best": improved,
                ]
                // The Float's shortest decimal (0.001, not 0.0010000000475).
                line["learning_rate"] = summary.learningRate.map { Double("\($0)") ?? Double($0) }
                line["skipped_batches"] = summary.skippedBatches
                if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) {
                    Terminal.output(String(decoding: data, as: UTF8.self))
                }
            }
        case .staleFile(let file):
            if let reason = file.removalError {
                say("cannot remove \(file.path), left by process \(file.processID), which is gone: \(reason)")
            } else {
                say(
                    "removed \(file.path), left by process \(file.processID), which is gone (a write it never finished)"
                )
            }
        case .checkpoint, .model: break
        case .interrupted(let checkpoint):
            endBar()
            say("interrupted: checkpoint written to \(checkpoint)")
        case .earlyStop(let epoch):
            say("no better validation CER for a while: stopping early after epoch \(epoch + 1)")
        }
    }

    func finish() { endBar() }

    private func progress(key: String, total: Int, label: String, done: Int, detail: String) {
        guard !quiet else { return }
        if key != barKey {
            endBar()
            bar = ProgressBar(total: Double(total), label: label)
            barKey = key
        }
        bar?.update(Double(done), detail: detail)
    }

    private func endBar() {
        bar?.finish()
        bar = nil
        barKey = ""
    }

    private func say(_ text: String) {
        guard !quiet else { return }
        Terminal.error("earshot: " + text)
    }
}
