import EarshotNN

/// Which utterances go together in each batch of an epoch.
///
/// Bucketing by length: utterances are sorted by duration and cut into consecutive batches of
/// `batchSize`, so a batch wastes little computation on padding; the order of the batches is shuffled
/// every epoch with a generator derived from (seed, epoch), so any epoch's plan can be recomputed
/// exactly when training resumes. Within a batch the utterances are ordered longest first.
public struct BatchPlan: Sendable, Equatable {
    /// Indices into the training set, one array per batch.
    public let batches: [[Int]]

    /// - Parameters:
    ///   - lengths: a length per utterance (frames or seconds; only the order matters).
    ///   - jitter: lengths are compared after adding a random ±10 % so that batches are not the same
    ///     group of utterances every epoch.
    public init(lengths: [Double], batchSize: Int, seed: UInt64, epoch: Int, jitter: Bool = true) {
        var generator = SeededGenerator(seed: seed).split(UInt64(epoch) &+ 0x5EED)
        let keyed = lengths.enumerated().map { index, length in
            (index, jitter ? length * Double(0.9 + 0.2 * generator.nextUniform()) : length)
        }
        let sorted = keyed.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map(\.0)
        var batches = stride(from: 0, to: sorted.count, by: max(batchSize, 1)).map {
            Array(sorted[$0..<min($0 + batchSize, sorted.count)])
        }
        batches.shuffle(using: &generator)
        self.batches = batches
    }
}
