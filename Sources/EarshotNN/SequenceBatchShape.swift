/// The shape of a padded batch of sequences: `T` time steps × `B` sequences, sequence `b` being valid
/// for `t < lengths[b]` and padding after that.
///
/// Earshot's sequence buffers are time-major, `(T, B, F)` row-major: element `[t][b][f]` is at
/// `(t·B + b)·F + f`, so the `B` rows of one time step are contiguous — one time step of a batch is a
/// `(B, F)` matrix, and all steps together a `(T·B, F)` matrix, which is what lets a layer feed every
/// step to one `sgemm`. Row `t·B + b` is *valid* when `t < lengths[b]`; the others are padding. Layers
/// guarantee that padding never leaks: their outputs there are 0, and values there in their inputs or
/// upstream gradients are ignored (they must be finite, though: `0 · NaN` is NaN in the weight
/// gradients' products).
///
/// Lengths may come in any order. Sorted longest first (as `pack_padded_sequence` wants) the valid rows
/// of every step are a prefix of the batch, and the recurrent products shrink to that prefix.
public struct SequenceBatchShape: Equatable, Sendable, CustomStringConvertible {
    /// `T`, the padded number of time steps.
    public let timeSteps: Int
    /// Valid steps of each sequence; `B = lengths.count` values, each in `0...T`.
    public let lengths: [Int]

    /// A batch of `lengths.count` sequences padded to `timeSteps`.
    public init(timeSteps: Int, lengths: [Int]) {
        precondition(timeSteps >= 0, "timeSteps must be ≥ 0, got \(timeSteps)")
        precondition(
            lengths.allSatisfy { $0 >= 0 && $0 <= timeSteps },
            "every length must be in 0...\(timeSteps), got \(lengths)")
        self.timeSteps = timeSteps
        self.lengths = lengths
    }

    /// A batch padded to its longest sequence.
    public init(lengths: [Int]) {
        self.init(timeSteps: lengths.max() ?? 0, lengths: lengths)
    }

    /// `B` sequences of `T` steps each, no padding.
    public init(timeSteps: Int, batchSize: Int) {
        self.init(timeSteps: timeSteps, lengths: [Int](repeating: timeSteps, count: batchSize))
    }

    /// `B`, the number of sequences.
    public var batchSize: Int { lengths.count }

    /// `T·B`, the rows of a `(T·B, F)` view of a sequence buffer.
    public var rowCount: Int { timeSteps * lengths.count }

    /// Whether row `t·B + b` holds data (`t < lengths[b]`) rather than padding.
    @inlinable
    public func isValid(time t: Int, sequence b: Int) -> Bool { t < lengths[b] }

    /// One past the last sequence valid at step `t`: rows `[0, n)` of step `t` contain every valid row
    /// (all of them valid when the lengths are sorted longest first); 0 when no sequence reaches `t`.
    public func activeRowCount(at t: Int) -> Int {
        var n = 0
        for b in lengths.indices where t < lengths[b] { n = b + 1 }
        return n
    }

    /// Sets the padded rows of a `(T, B, ·)` buffer to zero: `width` values of each padded row, rows
    /// `stride` values apart (`stride ≥ width`; a block of a wider buffer when larger).
    public func zeroPadding(_ buffer: UnsafeMutablePointer<Float>, width: Int, stride: Int? = nil) {
        let stride = stride ?? width
        precondition(stride >= width, "stride \(stride) < width \(width)")
        for t in 0..<timeSteps {
            for b in lengths.indices where t >= lengths[b] {
                (buffer + (t * batchSize + b) * stride).update(repeating: 0, count: width)
            }
        }
    }

    /// Array version of `zeroPadding(_:width:stride:)` for a contiguous `(T, B, width)` array.
    public func zeroPadding(_ values: inout [Float], width: Int) {
        precondition(
            values.count == rowCount * width, "\(values.count) values for (\(timeSteps), \(batchSize), \(width))")
        values.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { zeroPadding(base, width: width) }
        }
    }

    public var description: String { "(T: \(timeSteps), B: \(batchSize), lengths: \(lengths))" }
}
