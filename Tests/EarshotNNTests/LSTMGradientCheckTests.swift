import Testing

@testable import EarshotNN

/// Central finite differences against analytic gradients, the warp-ctc way: perturb one value by ±ε,
/// recompute the scalar loss `L = Σ g ⊙ y` (float32 network, the sum in Double), and compare
/// `(L(v + ε) − L(v − ε)) / 2ε` with the backward pass's value.
///
/// ε and tolerance. The forward pass is float32, so each `L` carries a rounding error of a few 1e-7
/// (n outputs of O(1), each rounded to ~6e-8 relative, partly correlated between `L(v ± ε)`); divided
/// by 2ε that is the noise floor of the numeric derivative. The truncation error of the central
/// difference is `ε²/6 · L‴`. ε = 1e-2 left truncation errors up to 3e-4 on the biases (which reach
/// every step); ε = 3e-3 balances the two: the measured worst |numeric − analytic| over all the checks
/// below is 6e-5 (printed on failure). The tolerance, 1e-3 × max(1, largest analytic value), sits 15×
/// above that, while a wrong term in a gradient shows as an error of the gradient's own size — scaling
/// `(1 − tanh²c)` by 0.9 in the backward kernel fails here by 8e-3 to 4e-2.
enum GradientCheck {
    static let epsilon: Float = 3e-3
    static let tolerance: Double = 1e-3

    /// Checks `analytic[k]` for the indices `k` in `indices` (all when `nil`) of a tensor reached
    /// through `get`/`set`, with `loss` recomputing the scalar loss from scratch.
    static func check(
        _ label: String, analytic: [Float], indices: [Int]? = nil,
        get: (Int) -> Float, set: (Int, Float) -> Void, loss: () -> Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var worst = 0.0
        var worstIndex = 0
        var worstNumeric = 0.0
        for k in indices ?? Array(analytic.indices) {
            let value = get(k)
            let plus = value + epsilon
            let minus = value - epsilon
            set(k, plus)
            let lossPlus = loss()
            set(k, minus)
            let lossMinus = loss()
            set(k, value)
            let numeric = (lossPlus - lossMinus) / (Double(plus) - Double(minus))
            let error = abs(numeric - Double(analytic[k]))
            if error > worst || error.isNaN { (worst, worstIndex, worstNumeric) = (error, k, numeric) }
        }
        let scale = max(1, Double(largestMagnitude(analytic)))
        #expect(
            worst <= tolerance * scale,
            """
            \(label): |numeric − analytic| = \(worst) at \(worstIndex) \
            (numeric \(worstNumeric), analytic \(analytic[worstIndex])), scale \(scale)
            """,
            sourceLocation: sourceLocation)
    }

    /// Checks every value of a parameter's gradient (or a sample of `limit` of them).
    static func check(
        _ parameter: Parameter, limit: Int = .max, loss: () -> Double, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        check(
            parameter.name, analytic: parameter.gradient, indices: sample(parameter.count, limit: limit),
            get: { parameter.value[$0] }, set: { parameter.value[$0] = $1 }, loss: loss,
            sourceLocation: sourceLocation)
    }

    /// All of `0..<count`, or `limit` indices spread over it (a fixed stride, so every gate block is hit).
    static func sample(_ count: Int, limit: Int) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        let stride = Double(count) / Double(limit)
        return (0..<limit).map { Int(Double($0) * stride + stride / 2) }
    }

    /// `Σ g ⊙ y` in Double.
    static func dot(_ g: [Float], _ y: [Float]) -> Double {
        zip(g, y).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
}

/// Runs one `LSTM` direction on arrays; a test's view of the pointer API.
struct LSTMRunner {
    let lstm: LSTM
    let shape: SequenceBatchShape
    let workspace: LSTM.Workspace

    init(_ lstm: LSTM, shape: SequenceBatchShape) {
        self.lstm = lstm
        self.shape = shape
        workspace = LSTM.Workspace(hiddenSize: lstm.hiddenSize)
    }

    func forward(_ x: [Float], initialState: LSTMState? = nil) -> [Float] {
        var y = [Float](repeating: .nan, count: shape.rowCount * lstm.hiddenSize)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                lstm.forward(
                    input: xp.baseAddress!, output: yp.baseAddress!, shape: shape, workspace: workspace,
                    initialState: initialState)
            }
        }
        return y
    }

    /// Zeroes the gradients, runs forward and backward with upstream `g`; returns `(y, dL/dx)`.
    func gradients(_ x: [Float], upstream g: [Float], initialState: LSTMState? = nil) -> (y: [Float], dx: [Float]) {
        for p in lstm.parameters { p.zeroGradient() }
        let y = forward(x, initialState: initialState)
        var dx = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                g.withUnsafeBufferPointer { gp in
                    lstm.backward(
                        input: xp.baseAddress!, output: yp.baseAddress!, outputGradient: gp.baseAddress!,
                        workspace: workspace)
                }
            }
        }
        dx.withUnsafeMutableBufferPointer { lstm.inputGradient(into: $0.baseAddress!, workspace: workspace) }
        return (y, dx)
    }
}

@Suite struct LSTMGradientCheckTests {
    init() { pinOpenBLASToOneThread() }

    /// One direction, H = 5 (a vector tail only), lengths out of order with padding, upstream gradient
    /// nonzero on padded frames (which must be ignored): every parameter value and every input value.
    @Test(arguments: LSTM.Direction.allCases)
    func oneDirectionMatchesFiniteDifferences(_ direction: LSTM.Direction) {
        var generator = SeededGenerator(seed: direction == .forward ? 11 : 12)
        let lstm = LSTM(inputSize: 3, hiddenSize: 5, direction: direction, generator: &generator)
        for p in lstm.parameters { for k in 0..<p.count { p.value[k] *= 2 } }  // leave the linear regime
        let shape = SequenceBatchShape(timeSteps: 4, lengths: [2, 4, 3])
        let runner = LSTMRunner(lstm, shape: shape)
        var random = SeededRandom(seed: 5)
        var x = random.floats(shape.rowCount * 3)
        let g = random.floats(shape.rowCount * 5)
        let (_, dx) = runner.gradients(x, upstream: g)
        let loss = { GradientCheck.dot(g, runner.forward(x)) }
        for p in lstm.parameters { GradientCheck.check(p, loss: loss) }
        GradientCheck.check(
            "input", analytic: dx, get: { x[$0] }, set: { x[$0] = $1 },
            loss: { GradientCheck.dot(g, runner.forward(x)) })
        // Padded input rows get exactly zero gradient.
        for t in 0..<shape.timeSteps {
            for b in 0..<shape.batchSize where t >= shape.lengths[b] {
                let row = t * shape.batchSize + b
                #expect(dx[(row * 3)..<(row * 3 + 3)].allSatisfy { $0 == 0 })
            }
        }
    }

    /// The forward direction started from a caller's state (a streaming chunk): the parameter
    /// gradients include the first step's `h_0` term and `dc` flowing into `c_0`.
    @Test func initialStateMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 13)
        let lstm = LSTM(inputSize: 2, hiddenSize: 17, direction: .forward, generator: &generator)
        let shape = SequenceBatchShape(timeSteps: 3, lengths: [3, 1])
        let runner = LSTMRunner(lstm, shape: shape)
        var random = SeededRandom(seed: 6)
        let state = LSTMState(hidden: random.floats(2 * 17), cell: random.floats(2 * 17))
        var x = random.floats(shape.rowCount * 2)
        let g = random.floats(shape.rowCount * 17)
        let (_, dx) = runner.gradients(x, upstream: g, initialState: state)
        let loss = { GradientCheck.dot(g, runner.forward(x, initialState: state)) }
        for p in lstm.parameters { GradientCheck.check(p, limit: 80, loss: loss) }
        GradientCheck.check(
            "input", analytic: dx, get: { x[$0] }, set: { x[$0] = $1 },
            loss: { GradientCheck.dot(g, runner.forward(x, initialState: state)) })
    }

    /// B = 1 takes the matrix–vector form of the recurrent product; check it too.
    @Test func singleSequenceMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 14)
        let lstm = LSTM(inputSize: 4, hiddenSize: 16, direction: .reverse, generator: &generator)
        let shape = SequenceBatchShape(timeSteps: 5, lengths: [5])
        let runner = LSTMRunner(lstm, shape: shape)
        var random = SeededRandom(seed: 7)
        let x = random.floats(shape.rowCount * 4)
        let g = random.floats(shape.rowCount * 16)
        _ = runner.gradients(x, upstream: g)
        for p in lstm.parameters {
            GradientCheck.check(p, limit: 64, loss: { GradientCheck.dot(g, runner.forward(x)) })
        }
    }
}
