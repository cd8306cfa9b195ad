/// The operation counts of an alignment, for one utterance or summed over a corpus.
public struct EditCounts: Codable, Sendable, Equatable, Hashable {
    /// H: items recognised correctly.
    public var hits = 0
    /// S: reference items recognised as other items.
    public var substitutions = 0
    /// D: reference items missing from the hypothesis.
    public var deletions = 0
    /// I: hypothesis items not in the reference.
    public var insertions = 0

    public init(hits: Int = 0, substitutions: Int = 0, deletions: Int = 0, insertions: Int = 0) {
        self.hits = hits
        self.substitutions = substitutions
        self.deletions = deletions
        self.insertions = insertions
    }

    /// S + D + I, the edit distance.
    public var errors: Int { substitutions + deletions + insertions }
    /// N = H + S + D, the reference's length.
    public var referenceLength: Int { hits + substitutions + deletions }
    /// H + S + I, the hypothesis's length.
    public var hypothesisLength: Int { hits + substitutions + insertions }

    /// (S + D + I) / N. With an empty reference (N = 0) it is I, the number of inserted items, as jiwer
    /// defines it: 0 for an empty hypothesis, and each inserted item counts as one whole error. (So a rate
    /// can exceed 1.)
    public var errorRate: Double {
        referenceLength > 0 ? Double(errors) / Double(referenceLength) : Double(insertions)
    }

    public static func + (a: EditCounts, b: EditCounts) -> EditCounts {
        EditCounts(
            hits: a.hits + b.hits, substitutions: a.substitutions + b.substitutions,
            deletions: a.deletions + b.deletions, insertions: a.insertions + b.insertions)
    }

    public static func += (a: inout EditCounts, b: EditCounts) { a = a + b }
}
