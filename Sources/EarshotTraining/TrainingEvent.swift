import EarshotIO
import Foundation

/// What a `Trainer` reports as it goes, for a progress bar, a log or a test.
public enum TrainingEvent: Sendable {
    /// Features computed for `done` of `total` (utterance, speed) pairs.
    case preparing(done: Int, total: Int)
    /// A batch was trained on (`loss`: mean CTC loss per utterance, nats; `stepsPerSecond`: model steps
    /// of audio processed per second of wall time).
    case batch(epoch: Int, batch: Int, batchCount: Int, loss: Double, learningRate: Float, stepsPerSecond: Double)
    /// A batch was skipped because its loss or gradient was not finite.
    case skippedBatch(epoch: Int, batch: Int)
    /// An epoch ended.
    case epoch(EpochSummary, improved: Bool)
    /// A checkpoint was written.
    case checkpoint(path: String)
    /// The best model so far was written.
    case model(path: String)
    /// Training stopped at a stop request; the last checkpoint holds where.
    case interrupted(checkpoint: String)
    /// No improvement in validation CER for `patience` epochs.
    case earlyStop(epoch: Int)
    /// A temporary file of a checkpoint or model write whose process was killed mid-write was found at
    /// the start (and removed, unless `removalError` says why not).
    case staleFile(AtomicFile.StaleFile)
}

/// Set from another thread or a signal handler to make a `Trainer` write a checkpoint and return
/// after the batch under way.
public final class StopFlag: @unchecked Sendable {
    private var requested = false
    private let lock = NSLock()

    public init() {}

    public func request() {
        lock.withLock { requested = true }
    }

    public var isRequested: Bool { lock.withLock { requested } }
}
