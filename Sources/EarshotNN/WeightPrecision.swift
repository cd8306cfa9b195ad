/// The number format of the weight matrices an inference runs with.
public enum WeightPrecision: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// 32-bit floats: the weights as trained.
    case f32
    /// 8-bit integers with one float scale per matrix row, activations quantised per row at each product
    /// (`Int8Matrix`); the LSTM's matrices only (the small output layer stays float32).
    case int8

    public var description: String { rawValue }
}

/// A weight precision the network's cell has no path for (int8 exists for the LSTM without peepholes).
public struct WeightPrecisionError: Error, Equatable, CustomStringConvertible {
    public let precision: WeightPrecision
    /// The cell, as `BidirectionalLSTM.cellDescription` names it.
    public let cell: String

    public init(precision: WeightPrecision, cell: String) {
        self.precision = precision
        self.cell = cell
    }

    public var description: String {
        "\(precision) weights are not available for the \(cell) cell (int8 exists for the LSTM without peepholes); use f32"
    }
}
