/// A dense tensor of `Float` as it is stored in a model or checkpoint file: a shape and its values,
/// row-major (the last dimension varies fastest), `shape.reduce(1, *)` of them.
///
/// Files may hold F16, BF16 or F64 (whatever PyTorch saved); they are converted to `Float` on reading,
/// because every layer of Earshot computes in `Float`. A scalar has shape `[]` and one value; a shape
/// with a zero dimension has no values.
public struct Tensor: Sendable, Equatable {
    /// Dimensions, outermost first, e.g. `[4H, I]`; `[]` for a scalar.
    public var shape: [Int]
    /// Row-major values, `shape.reduce(1, *)` of them.
    public var values: [Float]

    /// A tensor over `values`; their count must be the product of `shape`, every dimension ≥ 0.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        precondition(
            values.count == shape.reduce(1, *),
            "Tensor shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }

    /// A copy of a parameter's current values (not its gradient), under the parameter's shape.
    public init(_ parameter: Parameter) {
        self.init(shape: parameter.shape, values: parameter.value)
    }

    /// Number of values, `shape.reduce(1, *)`.
    public var count: Int { values.count }
}
