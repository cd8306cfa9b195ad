import Testing

@testable import EarshotNN

/// Runs one direction of any cell on arrays through `RecurrentDirection`; a test's view of the pointer API.
struct RecurrentRunner {
    let cell: any RecurrentDirection
    let shape: SequenceBatchShape
    let workspace: any RecurrentWorkspace

    init(_ cell: any RecurrentDirection, shape: SequenceBatchShape) {
        self.cell = cell
        self.shape = shape
        workspace = cell.cell.makeWorkspace(hiddenSize: cell.hiddenSize)
    }

    func forward(_ x: [Float], initialState: LSTMState? = nil) -> [Float] {
        var y = [Float](repeating: .nan, count: shape.rowCount * cell.hiddenSize)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                cell.forward(
                    input: xp.baseAddress!, inputStride: nil, output: yp.baseAddress!, outputStride: nil, shape: shape,
                    workspace: workspace, initialState: initialState)
            }
        }
        return y
    }

    /// Zeroes the gradients, runs forward and backward with upstream `g`; returns `(y, dL/dx)`.
    func gradients(_ x: [Float], upstream g: [Float], initialState: LSTMState? = nil) -> (y: [Float], dx: [Float]) {
        for p in cell.parameters { p.zeroGradient() }
        let y = forward(x, initialState: initialState)
        var dx = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                g.withUnsafeBufferPointer { gp in
                    cell.backward(
                        input: xp.baseAddress!, inputStride: nil, output: yp.baseAddress!, outputStride: nil,
                        outputGradient: gp.baseAddress!, outputGradientStride: nil, workspace: workspace)
                }
            }
        }
        dx.withUnsafeMutableBufferPointer {
            cell.inputGradient(into: $0.baseAddress!, stride: nil, accumulate: false, rows: nil, workspace: workspace)
        }
        return (y, dx)
    }
}

/// The GRU's analytic gradients against central finite differences (`GradientCheck`, its ε and tolerance
/// explained there), as `LSTMGradientCheckTests` checks the LSTM's.
@Suite struct GRUGradientCheckTests {
    init() { pinOpenBLASToOneThread() }

    /// One direction, H = 5 (a vector tail only), lengths out of order with padding, upstream gradient
    /// nonzero on padded frames (which must be ignored): every parameter value and every input value.
    @Test(arguments: LSTM.Direction.allCases)
    func oneDirectionMatchesFiniteDifferences(_ direction: LSTM.Direction) {
        var generator = SeededGenerator(seed: direction == .forward ? 21 : 22)
        let gru = GRU(inputSize: 3, hiddenSize: 5, direction: direction, generator: &generator)
        for p in gru.parameters { for k in 0..<p.count { p.value[k] *= 2 } }  // leave the linear regime
        let shape = SequenceBatchShape(timeSteps: 4, lengths: [2, 4, 3])
        let runner = RecurrentRunner(gru, shape: shape)
        var random = SeededRandom(seed: 5)
        var x = random.floats(shape.rowCount * 3)
        let g = random.floats(shape.rowCount * 5)
        let (y, dx) = runner.gradients(x, upstream: g)
        let loss = { GradientCheck.dot(g, runner.forward(x)) }
        for p in gru.parameters { GradientCheck.check(p, loss: loss) }
        GradientCheck.check(
            "input", analytic: dx, get: { x[$0] }, set: { x[$0] = $1 },
            loss: { GradientCheck.dot(g, runner.forward(x)) })
        // Padded rows: zero output, exactly zero input gradient.
        for t in 0..<shape.timeSteps {
            for b in 0..<shape.batchSize where t >= shape.lengths[b] {
                let row = t * shape.batchSize + b
                #expect(dx[(row * 3)..<(row * 3 + 3)].allSatisfy { $0 == 0 })
                #expect(y[(row * 5)..<(row * 5 + 5)].allSatisfy { $0 == 0 })
            }
        }
    }

    /// The forward direction started from a caller's state (a streaming chunk): `dW_hh` includes the
    /// first step's `h_0` term.
    @Test func initialStateMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 23)
        let gru = GRU(inputSize: 2, hiddenSize: 17, direction: .forward, generator: &generator)
        let shape = SequenceBatchShape(timeSteps: 3, lengths: [3, 1])
        let runner = RecurrentRunner(gru, shape: shape)
        var random = SeededRandom(seed: 6)
        let state = LSTMState(hidden: random.floats(2 * 17))
        var x = random.floats(shape.rowCount * 2)
        let g = random.floats(shape.rowCount * 17)
        let (_, dx) = runner.gradients(x, upstream: g, initialState: state)
        let loss = { GradientCheck.dot(g, runner.forward(x, initialState: state)) }
        for p in gru.parameters { GradientCheck.check(p, limit: 80, loss: loss) }
        GradientCheck.check(
            "input", analytic: dx, get: { x[$0] }, set: { x[$0] = $1 },
            loss: { GradientCheck.dot(g, runner.forward(x, initialState: state)) })
    }

    /// B = 1, H = 16 (whole vectors), the reverse direction.
    @Test func singleSequenceMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 24)
        let gru = GRU(inputSize: 4, hiddenSize: 16, direction: .reverse, generator: &generator)
        let shape = SequenceBatchShape(timeSteps: 5, lengths: [5])
        let runner = RecurrentRunner(gru, shape: shape)
        var random = SeededRandom(seed: 7)
        let x = random.floats(shape.rowCount * 4)
        let g = random.floats(shape.rowCount * 16)
        _ = runner.gradients(x, upstream: g)
        for p in gru.parameters {
            GradientCheck.check(p, limit: 64, loss: { GradientCheck.dot(g, runner.forward(x)) })
        }
    }

    /// The final state is the output at each sequence's last step (forward: `t = length − 1`; reverse:
    /// `t = 0`), with an empty cell; chunked forward runs carrying it equal one whole run.
    @Test func carriedStateContinuesTheSequence() {
        var generator = SeededGenerator(seed: 25)
        let gru = GRU(inputSize: 3, hiddenSize: 7, direction: .forward, generator: &generator)
        var random = SeededRandom(seed: 8)
        let x = random.floats(6 * 3)
        let whole = RecurrentRunner(gru, shape: SequenceBatchShape(timeSteps: 6, batchSize: 1))
        let y = whole.forward(x)
        let final = whole.workspace.finalState
        #expect(final.cell.isEmpty && final.hidden == Array(y[(5 * 7)...]))
        let first = RecurrentRunner(gru, shape: SequenceBatchShape(timeSteps: 4, batchSize: 1))
        let second = RecurrentRunner(gru, shape: SequenceBatchShape(timeSteps: 2, batchSize: 1))
        let a = first.forward(Array(x[..<12]))
        let b = second.forward(Array(x[12...]), initialState: first.workspace.finalState)
        #expect(a + b == y)
    }
}
