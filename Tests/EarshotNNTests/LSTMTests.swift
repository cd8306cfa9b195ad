import Foundation
import Testing

@testable import EarshotNN

/// The naive twin of one LSTM direction: one sequence at a time, one step at a time, plain loops in
/// Double and libm — the equations of `LSTM`'s documentation and nothing else. Returns `(T, B, H)`
/// with zeros at padding.
func referenceLSTM(_ lstm: LSTM, input x: [Float], shape: SequenceBatchShape, initialState: LSTMState? = nil)
    -> [Double]
{
    let (T, B, I, H) = (shape.timeSteps, shape.batchSize, lstm.inputSize, lstm.hiddenSize)
    let wih = lstm.weightInput.value
    let whh = lstm.weightHidden.value
    let bih = lstm.biasInput.value
    let bhh = lstm.biasHidden.value
    var y = [Double](repeating: 0, count: T * B * H)
    func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
    for b in 0..<B {
        var h = (0..<H).map { Double(initialState?.hidden[b * H + $0] ?? 0) }
        var c = (0..<H).map { Double(initialState?.cell[b * H + $0] ?? 0) }
        let n = shape.lengths[b]
        let steps = lstm.direction == .forward ? Array(0..<n) : Array((0..<n).reversed())
        for t in steps {
            let row = t * B + b
            var a = [Double](repeating: 0, count: 4 * H)
            for r in 0..<(4 * H) {
                var sum = Double(bih[r]) + Double(bhh[r])
                for i in 0..<I { sum += Double(wih[r * I + i]) * Double(x[row * I + i]) }
                for j in 0..<H { sum += Double(whh[r * H + j]) * h[j] }
                a[r] = sum
            }
            for j in 0..<H {
                let i = sigmoid(a[j])
                let f = sigmoid(a[H + j])
                let g = Foundation.tanh(a[2 * H + j])
                let o = sigmoid(a[3 * H + j])
                c[j] = f * c[j] + i * g
                h[j] = o * Foundation.tanh(c[j])
            }
            for j in 0..<H { y[row * H + j] = h[j] }
        }
    }
    return y
}

/// The rows `rows` of a row-major `(·, width)` array, concatenated.
func rows(_ rows: [Int], of values: [Float], width: Int) -> [Float] {
    var result: [Float] = []
    for r in rows { result += values[(r * width)..<((r + 1) * width)] }
    return result
}

/// A case for the twin comparison: sizes, lengths (any order, zeros allowed), direction.
struct LSTMCase: CustomTestStringConvertible, Sendable {
    var inputSize: Int, hiddenSize: Int, timeSteps: Int, lengths: [Int], direction: LSTM.Direction
    var testDescription: String { "I=\(inputSize) H=\(hiddenSize) T=\(timeSteps) lengths=\(lengths) \(direction)" }
}

@Suite struct LSTMTests {
    init() { pinOpenBLASToOneThread() }

    static let cases: [LSTMCase] = LSTM.Direction.allCases.flatMap { d in
        [
            // H = 5: a vector tail only; lengths unsorted
            LSTMCase(inputSize: 3, hiddenSize: 5, timeSteps: 4, lengths: [2, 4, 3], direction: d),
            // H = 16: one whole vector; lengths sorted, so the active rows are a prefix
            LSTMCase(inputSize: 7, hiddenSize: 16, timeSteps: 6, lengths: [6, 4, 4, 1], direction: d),
            // B = 1: the matrix–vector form of the recurrent product; H = 33: two vectors and a tail
            LSTMCase(inputSize: 5, hiddenSize: 33, timeSteps: 5, lengths: [5], direction: d),
            // an empty sequence
            LSTMCase(inputSize: 2, hiddenSize: 20, timeSteps: 3, lengths: [0, 3, 1], direction: d),
            // T longer than every sequence
            LSTMCase(inputSize: 4, hiddenSize: 8, timeSteps: 5, lengths: [3, 3], direction: d),
        ]
    }

    static func make(_ c: LSTMCase, seed: UInt64) -> (LSTM, [Float]) {
        var generator = SeededGenerator(seed: seed)
        let lstm = LSTM(inputSize: c.inputSize, hiddenSize: c.hiddenSize, direction: c.direction, generator: &generator)
        for p in lstm.parameters { for k in 0..<p.count { p.value[k] *= 3 } }  // reach the saturated ranges
        var random = SeededRandom(seed: seed &+ 1)
        let x = random.floats(c.timeSteps * c.lengths.count * c.inputSize).map { 2 * $0 }
        return (lstm, x)
    }

    /// OpenBLAS + fast activations against the Double twin. Tolerance 2e-6: h is bounded by 1, each
    /// step's pre-activation is a float32 dot product of < 60 terms of size ≤ ~3 (error ≲ 1e-6 absolute,
    /// the GEMM bound of GEMMTests), the activations add ≤ 2.5e-7 relative, and the LSTM is contractive
    /// in h (|∂h'/∂h| < 1 here), so errors do not grow with T at these sizes.
    @Test(arguments: cases)
    func matchesDoublePrecisionTwin(_ c: LSTMCase) {
        let (lstm, x) = Self.make(c, seed: UInt64(c.hiddenSize * 100 + c.inputSize))
        let shape = SequenceBatchShape(timeSteps: c.timeSteps, lengths: c.lengths)
        let y = LSTMRunner(lstm, shape: shape).forward(x)
        let expected = referenceLSTM(lstm, input: x, shape: shape)
        expectClose(y, expected.map { Float($0) }, tolerance: 2e-6, "\(c.testDescription)")
        // Padding is exactly zero.
        for t in 0..<shape.timeSteps {
            for b in 0..<shape.batchSize where t >= shape.lengths[b] {
                let row = t * shape.batchSize + b
                #expect(y[(row * c.hiddenSize)..<((row + 1) * c.hiddenSize)].allSatisfy { $0 == 0 })
            }
        }
    }

    /// Whatever the padded input rows and upstream gradient rows hold, outputs and every gradient are
    /// bit for bit the same: padded rows never enter a product with a nonzero factor.
    @Test(arguments: LSTM.Direction.allCases)
    func paddingChangesNothing(_ direction: LSTM.Direction) {
        let c = LSTMCase(inputSize: 6, hiddenSize: 9, timeSteps: 5, lengths: [5, 2, 4], direction: direction)
        let (lstm, x) = Self.make(c, seed: 21)
        let shape = SequenceBatchShape(timeSteps: 5, lengths: c.lengths)
        let runner = LSTMRunner(lstm, shape: shape)
        var random = SeededRandom(seed: 22)
        let g = random.floats(shape.rowCount * 9)
        let first = runner.gradients(x, upstream: g)
        let firstGradients = lstm.parameters.map(\.gradient)
        var x2 = x
        var g2 = g
        for t in 0..<5 {
            for b in 0..<3 where t >= c.lengths[b] {
                let row = t * 3 + b
                for i in 0..<6 { x2[row * 6 + i] = 1000 * Float(i + 1) }
                for j in 0..<9 { g2[row * 9 + j] = -77 }
            }
        }
        let second = runner.gradients(x2, upstream: g2)
        #expect(first.y == second.y)
        #expect(first.dx == second.dx)
        #expect(firstGradients == lstm.parameters.map(\.gradient))
    }

    /// A sequence padded in a batch (lengths [T, 3]) gives what it gives alone (T = 3, B = 1): output,
    /// input gradient and, with a zero upstream gradient for the other sequence, parameter gradients.
    /// Not bit for bit (B = 1 takes another product shape, so sums are ordered differently): 1e-6 on
    /// outputs and 2e-6 relative on gradients, float32 rounding of a few dozen-term sums.
    @Test(arguments: LSTM.Direction.allCases)
    func paddedSequenceEqualsSequenceAlone(_ direction: LSTM.Direction) {
        let (I, H, T) = (4, 12, 6)
        let c = LSTMCase(inputSize: I, hiddenSize: H, timeSteps: T, lengths: [T, 3], direction: direction)
        let (lstm, x) = Self.make(c, seed: 31)
        var random = SeededRandom(seed: 32)
        var g = random.floats(T * 2 * H)
        for t in 0..<T { for j in 0..<H { g[(t * 2) * H + j] = 0 } }  // sequence 0 does not reach the loss
        let batch = LSTMRunner(lstm, shape: SequenceBatchShape(timeSteps: T, lengths: [T, 3]))
        let together = batch.gradients(x, upstream: g)
        let togetherGradients = lstm.parameters.map(\.gradient)

        let picked = [1, 3, 5]  // rows t·B + 1 of sequence 1, t < 3
        let xAlone = rows(picked, of: x, width: I)
        let gAlone = rows(picked, of: g, width: H)
        let alone = LSTMRunner(lstm, shape: SequenceBatchShape(timeSteps: 3, lengths: [3])).gradients(
            xAlone, upstream: gAlone)
        let yPicked = rows(picked, of: together.y, width: H)
        let dxPicked = rows(picked, of: together.dx, width: I)
        expectClose(yPicked, alone.y, tolerance: 1e-6, "output")
        expectClose(dxPicked, alone.dx, tolerance: 2e-6 * max(1, largestMagnitude(alone.dx)), "dx")
        for (p, before) in zip(lstm.parameters, togetherGradients) {
            expectClose(before, p.gradient, tolerance: 2e-6 * max(1, largestMagnitude(p.gradient)), p.name)
        }
    }

    /// Streaming: the forward direction over 7 steps equals two chunks of 3 and 4 steps, the second
    /// started from the first's `finalState` — with unequal lengths, so some sequences end in the first
    /// chunk (their final state is their last valid step) and one is empty in the second.
    @Test func chunksWithCarriedStateEqualWholeSequence() {
        let (I, H) = (5, 11)
        let c = LSTMCase(inputSize: I, hiddenSize: H, timeSteps: 7, lengths: [7, 4, 2], direction: .forward)
        let (lstm, x) = Self.make(c, seed: 41)
        let whole = LSTMRunner(lstm, shape: SequenceBatchShape(timeSteps: 7, lengths: [7, 4, 2]))
        let yWhole = whole.forward(x)
        let first = LSTMRunner(lstm, shape: SequenceBatchShape(timeSteps: 3, lengths: [3, 3, 2]))
        let y1 = first.forward(Array(x[0..<(3 * 3 * I)]))
        let state = first.workspace.finalState
        let second = LSTMRunner(lstm, shape: SequenceBatchShape(timeSteps: 4, lengths: [4, 1, 0]))
        let y2 = second.forward(Array(x[(3 * 3 * I)...]), initialState: state)
        expectClose(y1 + y2, yWhole, tolerance: 1e-6, "chunked vs whole")
        // The whole run's final state is the chunked run's.
        expectClose(second.workspace.finalState.hidden, whole.workspace.finalState.hidden, tolerance: 1e-6, "h_T")
        expectClose(second.workspace.finalState.cell, whole.workspace.finalState.cell, tolerance: 1e-6, "c_T")
        // And it is the twin's state after each sequence's last step.
        let expected = referenceLSTM(lstm, input: x, shape: SequenceBatchShape(timeSteps: 7, lengths: [7, 4, 2]))
        for (b, n) in [7, 4, 2].enumerated() {
            let row = (n - 1) * 3 + b
            expectClose(
                Array(whole.workspace.finalState.hidden[(b * H)..<((b + 1) * H)]),
                expected[(row * H)..<((row + 1) * H)].map { Float($0) }, tolerance: 2e-6, "final h of \(b)")
        }
    }

    /// A workspace sized by a large batch serves a smaller one and then a larger one again, giving what
    /// fresh workspaces give.
    @Test func workspaceIsReusedAcrossShapes() {
        let c = LSTMCase(inputSize: 3, hiddenSize: 7, timeSteps: 6, lengths: [6, 5, 5, 2], direction: .reverse)
        let (lstm, x) = Self.make(c, seed: 51)
        let shared = LSTM.Workspace(hiddenSize: 7)
        func run(_ shape: SequenceBatchShape, _ workspace: LSTM.Workspace) -> [Float] {
            var y = [Float](repeating: 0, count: shape.rowCount * 7)
            let input = Array(x[0..<(shape.rowCount * 3)])
            input.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    lstm.forward(input: xp.baseAddress!, output: yp.baseAddress!, shape: shape, workspace: workspace)
                }
            }
            return y
        }
        for shape in [
            SequenceBatchShape(timeSteps: 6, lengths: [6, 5, 5, 2]), SequenceBatchShape(timeSteps: 2, lengths: [2, 1]),
            SequenceBatchShape(timeSteps: 7, lengths: [7, 7, 3]),
        ] {
            let y = run(shape, shared)
            #expect(y == run(shape, LSTM.Workspace(hiddenSize: 7)), "\(shape)")
        }
        #expect(shared.rowCapacity == 24)
    }

    /// PyTorch's names, shapes and initial law; forget-gate bias 1 (all in bias_ih).
    @Test func initialisationFollowsPyTorch() {
        var generator = SeededGenerator(seed: 1)
        let lstm = LSTM(
            inputSize: 240, hiddenSize: 64, direction: .reverse, prefix: "lstm.", layer: 2, generator: &generator)
        #expect(
            lstm.parameters.map(\.name) == [
                "lstm.weight_ih_l2_reverse", "lstm.weight_hh_l2_reverse", "lstm.bias_ih_l2_reverse",
                "lstm.bias_hh_l2_reverse",
            ])
        #expect(lstm.parameters.map(\.shape) == [[256, 240], [256, 64], [256], [256]])
        let bound: Float = 1 / 8
        for p in [lstm.weightInput, lstm.weightHidden] {
            #expect(p.value.allSatisfy { abs($0) <= bound })
            #expect(largestMagnitude(p.value) > 0.99 * bound)  // the whole range is used
        }
        #expect(lstm.biasInput.value[64..<128].allSatisfy { $0 == 1 })
        #expect(lstm.biasHidden.value[64..<128].allSatisfy { $0 == 0 })
        #expect(lstm.biasInput.value[0..<64].allSatisfy { abs($0) <= bound && $0 != 1 })
    }

    /// The OpenBLAS transpose used for `W_hhᵀ` against its loop twin, on shapes with and without tile
    /// remainders.
    @Test(arguments: [(1024, 256), (20, 5), (33, 17), (1, 7)])
    func transposeMatchesTwin(_ size: (Int, Int)) {
        let (rows, columns) = size
        var random = SeededRandom(seed: UInt64(rows * columns))
        let source = random.floats(rows * columns)
        var fast = [Float](repeating: .nan, count: rows * columns)
        var naive = fast
        LSTM.transpose(source, rows: rows, columns: columns, into: &fast)
        LSTM.transposeNaive(source, rows: rows, columns: columns, into: &naive)
        #expect(fast == naive)
        #expect(naive[min(1, columns - 1) * rows] == source[min(1, columns - 1)])
    }
}
