import EarshotFeatures
import EarshotNN

/// A padded batch of model inputs, sorted longest first (the LSTM skips finished rows that way):
/// `inputs` is (T, B, F) with T the longest length, rows past an utterance's end zero.
public struct TrainingBatch {
    public var shape: SequenceBatchShape
    /// F, values per step.
    public var dimension: Int
    /// (T, B, F) row-major.
    public var inputs: [Float]
    /// Label sequences (no blanks), in batch order.
    public var targets: [[Int]]
    /// Indices of the utterances in their data set, in batch order.
    public var utterances: [Int]

    /// Pads `items` (model input (T_i, F), labels, utterance index) into one batch.
    public init(_ items: [(input: FeatureMatrix, labels: [Int], utterance: Int)]) {
        let sorted = items.enumerated().sorted {
            $0.element.input.frameCount != $1.element.input.frameCount
                ? $0.element.input.frameCount > $1.element.input.frameCount : $0.offset < $1.offset
        }.map(\.element)
        let f = sorted.first?.input.dimension ?? 0
        let t = sorted.first?.input.frameCount ?? 0
        let b = sorted.count
        var inputs = [Float](repeating: 0, count: t * b * f)
        inputs.withUnsafeMutableBufferPointer { x in
            for (column, item) in sorted.enumerated() {
                item.input.values.withUnsafeBufferPointer { source in
                    for step in 0..<item.input.frameCount {
                        (x.baseAddress! + (step * b + column) * f).update(
                            from: source.baseAddress! + step * f, count: f)
                    }
                }
            }
        }
        shape = SequenceBatchShape(timeSteps: t, lengths: sorted.map(\.input.frameCount))
        dimension = f
        self.inputs = inputs
        targets = sorted.map(\.labels)
        utterances = sorted.map(\.utterance)
    }

    /// Model steps in the batch that are not padding.
    public var validSteps: Int { shape.lengths.reduce(0, +) }
}
