/// The number format of the weight matrices an inference runs with.
public enum WeightPrecision: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// 32-bit floats: the weights as trained.
    case f32
    /// 8-bit integers with one float scale per matrix row, activations quantised per row at each product
    /// (`Int8Matrix`); the recurrent cells' `W_ih` and `W_hh` only (biases, peepholes and the small output
    /// layer stay float32).
    case int8

    public var description: String { rawValue }
}
