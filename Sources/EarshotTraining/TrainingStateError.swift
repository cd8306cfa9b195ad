/// Why a `TrainingState` (read from a checkpoint) cannot be resumed: the field, what it must be and the
/// value found.
public struct TrainingStateError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    /// To follow the field's name: "must be at least 0, got -1".
    public var requirement: String

    public init(field: String, requirement: String) {
        self.field = field
        self.requirement = requirement
    }

    /// "step must be at least 0, got -1".
    public var description: String { "\(field) \(requirement)" }
}
