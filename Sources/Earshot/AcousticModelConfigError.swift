import EarshotDecoding
import EarshotFeatures

/// Why an `AcousticModelConfig` cannot make a working model: the field, by its path in the config's JSON
/// (`layerCount`, `stacking.stride`, `features.mel.binCount`, …), what it must be and the value found.
public struct AcousticModelConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field's path; empty when the JSON as a whole is unreadable.
    public var field: String
    /// To follow the field's name: "must be at least 1, got -1".
    public var requirement: String

    public init(field: String, requirement: String) {
        self.field = field
        self.requirement = requirement
    }

    /// "layerCount must be at least 1, got -1".
    public var description: String { field.isEmpty ? requirement : "\(field) \(requirement)" }
}

extension AcousticModelConfigError {
    /// Throws for `field` unless `range` holds `value`: below it "must be at least …", above it
    /// "must be at most …".
    static func check(_ field: String, _ value: Int, in range: ClosedRange<Int>) throws(AcousticModelConfigError) {
        if value < range.lowerBound {
            throw AcousticModelConfigError(
                field: field, requirement: "must be at least \(range.lowerBound), got \(value)")
        }
        if value > range.upperBound {
            throw AcousticModelConfigError(
                field: field, requirement: "must be at most \(range.upperBound), got \(value)")
        }
    }

    /// A part's validation error, with the part's field (`features`, `stacking`) in front of the one it names.
    init(_ error: FeatureError, in part: String) {
        if case .invalidOption(let field, let requirement) = error {
            self.init(field: part + "." + field, requirement: requirement)
        } else {
            self.init(field: part, requirement: "is invalid: \(error)")
        }
    }

    init(_ error: AlphabetError) {
        self.init(field: "alphabet", requirement: error.requirement)
    }

    /// A JSON decoding error, naming the field it occurred at: a missing field, a value of the wrong type,
    /// or a value no case matches.
    init(_ error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(field: path(context.codingPath + [key]), requirement: "is missing")
        case .valueNotFound(let type, let context):
            self.init(field: path(context.codingPath), requirement: "must not be null (expected \(type))")
        case .typeMismatch(_, let context):
            self.init(field: path(context.codingPath), requirement: "has the wrong type: \(context.debugDescription)")
        case .dataCorrupted(let context):
            self.init(
                field: path(context.codingPath),
                requirement: context.codingPath.isEmpty
                    ? "not readable JSON (\(context.debugDescription))"
                    : "is invalid: \(context.debugDescription)")
        @unknown default:
            self.init(field: "", requirement: "\(error)")
        }
    }
}
