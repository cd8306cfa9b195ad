/// A trainable tensor: its values, the gradient accumulated for them, and a name that identifies it in
/// model files (the PyTorch state-dict name, e.g. `lstm.weight_ih_l0_reverse`).
///
/// A reference type so that a layer, the optimizer and the model file all see the same storage. Both
/// arrays are contiguous and row-major in `shape`; hot loops reach them through
/// `withUnsafe(Mutable)BufferPointer`. Backward passes *add* into `gradient`; `zeroGradient()` clears it
/// before each batch.
public final class Parameter: @unchecked Sendable {
    /// State-dict name, unique within a model.
    public let name: String
    /// Dimensions, outermost first, e.g. `[4H, I]` for an LSTM input weight.
    public let shape: [Int]
    /// `shape.reduce(1, *)` values.
    public var value: [Float]
    /// Same size as `value`.
    public var gradient: [Float]
    /// Frozen parameters are skipped by optimizers (fine-tuning only the upper layers).
    public var isFrozen = false

    public init(name: String, shape: [Int], value: [Float]) {
        precondition(value.count == shape.reduce(1, *), "\(name): \(value.count) values for shape \(shape)")
        self.name = name
        self.shape = shape
        self.value = value
        self.gradient = [Float](repeating: 0, count: value.count)
    }

    /// A parameter of `shape` filled with zeros.
    public convenience init(name: String, shape: [Int]) {
        self.init(name: name, shape: shape, value: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// Number of values.
    public var count: Int { value.count }

    /// Sets every gradient value to zero.
    public func zeroGradient() {
        gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
