/// Why a `LatencyControl` cannot run: the field (`chunkSteps`, `lookaheadSteps`), what it must be and
/// the value found.
public struct LatencyControlError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    /// To follow the field's name: "must be at least 1, got 0".
    public var requirement: String

    public var description: String { "\(field) \(requirement)" }
}

extension LatencyControl {
    /// Most steps a chunk (`Nc`) or its look-ahead (`Nr`) may span: 10 000, 300 s at 30 ms per step, ten
    /// times the longest segment a recognizer decodes by default; every layer holds a window of `Nc + Nr`
    /// steps, so this bounds that memory.
    public static let maximumSteps = 10_000

    /// Checks `chunkSteps` is in 1…`maximumSteps` and `lookaheadSteps` in 0…`maximumSteps`.
    public func validate() throws(LatencyControlError) {
        for (field, value, least) in [("chunkSteps", chunkSteps, 1), ("lookaheadSteps", lookaheadSteps, 0)] {
            guard value >= least else {
                throw LatencyControlError(field: field, requirement: "must be at least \(least), got \(value)")
            }
            guard value <= Self.maximumSteps else {
                throw LatencyControlError(
                    field: field, requirement: "must be at most \(Self.maximumSteps), got \(value)")
            }
        }
    }
}
