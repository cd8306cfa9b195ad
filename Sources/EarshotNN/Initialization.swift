/// Weight initialisers, drawing from a `SeededGenerator` so that a seed fixes a model's starting point.
///
/// PyTorch's defaults for the layers Earshot uses are all one uniform law: `nn.LSTM` draws every
/// parameter from U(−1/√H, 1/√H), and `nn.Linear` draws its weight (Kaiming-uniform with a = √5) and
/// its bias from U(−1/√in, 1/√in). The values differ from PyTorch's (another generator), the law does not.
public enum Initialization {
    /// `count` values uniform in [−bound, bound), drawn in order from `generator`:
    /// `value = (2u − 1)·bound` with `u = generator.nextUniform()` in [0, 1) (24 random bits).
    public static func uniform(count: Int, bound: Float, generator: inout SeededGenerator) -> [Float] {
        precondition(count >= 0 && bound >= 0, "uniform: count \(count), bound \(bound)")
        var values = [Float](repeating: 0, count: count)
        for k in 0..<count { values[k] = (2 * generator.nextUniform() - 1) * bound }
        return values
    }

    /// A parameter of `shape` filled from U(−bound, bound).
    public static func uniformParameter(
        name: String, shape: [Int], bound: Float, generator: inout SeededGenerator
    ) -> Parameter {
        Parameter(
            name: name, shape: shape,
            value: uniform(count: shape.reduce(1, *), bound: bound, generator: &generator))
    }
}
