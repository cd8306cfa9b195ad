/// Why `TrainingOptions` cannot train: the field, by its path in the options' JSON (`batchSize`,
/// `chunkedTraining.share`, `vocalTractPerturbation.minimumFactor`, …), what it must be and the value found.
public struct TrainingOptionsError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    /// To follow the field's name: "must be at least 1, got 0".
    public var requirement: String

    public init(field: String, requirement: String) {
        self.field = field
        self.requirement = requirement
    }

    /// "batchSize must be at least 1, got 0".
    public var description: String { "\(field) \(requirement)" }

    /// The same error with the field one level down from `parent` (`share` of `chunkedTraining` →
    /// `chunkedTraining.share`).
    public func inField(_ parent: String) -> TrainingOptionsError {
        TrainingOptionsError(field: parent + "." + field, requirement: requirement)
    }

    /// Throws for `field` unless `range` holds `value`: below it "must be at least …", above it
    /// "must be at most …".
    static func check(_ field: String, _ value: Int, in range: ClosedRange<Int>) throws(TrainingOptionsError) {
        if value < range.lowerBound {
            throw TrainingOptionsError(field: field, requirement: "must be at least \(range.lowerBound), got \(value)")
        }
        if value > range.upperBound {
            throw TrainingOptionsError(field: field, requirement: "must be at most \(range.upperBound), got \(value)")
        }
    }
}
