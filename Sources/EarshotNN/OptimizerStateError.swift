/// An optimizer state that cannot be imported: it is malformed, or it does not fit the model's
/// parameters (a checkpoint from another model). Names the parameter and what is wrong.
public struct OptimizerStateError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The parameter (or state key) at fault.
    public var name: String
    public var reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    public var description: String { "optimizer state '\(name)': \(reason)" }
}
