import Foundation
import Testing

@testable import EarshotNN

/// The LSTM with peepholes (`LSTM.Peepholes`), which PyTorch does not have: against a naive scalar
/// reference written here from the equations (Graves 2013, eq. 7–11), and against finite differences.
@Suite struct PeepholeLSTMTests {
    init() { pinOpenBLASToOneThread() }

    /// A direction with peepholes, every parameter scaled so that the gates leave their linear range.
    static func make(inputSize: Int, hiddenSize: Int, direction: LSTM.Direction, seed: UInt64) -> LSTM {
        var generator = SeededGenerator(seed: seed)
        let lstm = LSTM(
            inputSize: inputSize, hiddenSize: hiddenSize, direction: direction, peepholes: true, generator: &generator)
        for p in lstm.parameters { for k in 0..<p.count { p.value[k] *= 2 } }
        return lstm
    }

    /// The naive twin: one sequence at a time, one unit at a time, in Double, libm's exp and tanh.
    static func naiveForward(_ lstm: LSTM, _ x: [Float], shape: SequenceBatchShape) -> [Float] {
        let (B, I, H) = (shape.batchSize, lstm.inputSize, lstm.hiddenSize)
        let w = lstm.weightInput.value, u = lstm.weightHidden.value
        let bias = zip(lstm.biasInput.value, lstm.biasHidden.value).map { Double($0) + Double($1) }
        let peepholes = lstm.peepholes!
        let (wci, wcf, wco) = (peepholes.input.value, peepholes.forget.value, peepholes.output.value)
        func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        var y = [Float](repeating: 0, count: shape.rowCount * H)
        for b in 0..<B {
            let length = shape.lengths[b]
            let times = lstm.direction == .forward ? Array(0..<length) : Array((0..<length).reversed())
            var h = [Double](repeating: 0, count: H), c = [Double](repeating: 0, count: H)
            for t in times {
                let row = t * B + b
                var a = [Double](repeating: 0, count: 4 * H)
                for r in 0..<(4 * H) {
                    var sum = bias[r]
                    for k in 0..<I { sum += Double(w[r * I + k]) * Double(x[row * I + k]) }
                    for k in 0..<H { sum += Double(u[r * H + k]) * h[k] }
                    a[r] = sum
                }
                for j in 0..<H {
                    let i = sigmoid(a[j] + Double(wci[j]) * c[j])
                    let f = sigmoid(a[H + j] + Double(wcf[j]) * c[j])
                    let g = tanh(a[2 * H + j])
                    c[j] = f * c[j] + i * g
                    let o = sigmoid(a[3 * H + j] + Double(wco[j]) * c[j])
                    h[j] = o * tanh(c[j])
                }
                for j in 0..<H { y[row * H + j] = Float(h[j]) }
            }
        }
        return y
    }

    /// Both directions, H = 19 (a whole vector and a tail), lengths out of order with padding. Tolerance
    /// 1e-5: each pre-activation is a float32 sum of I + H + 1 = 24 products of O(1) values (~1e-6 at
    /// worst) and the fast activations add ≤ 2.5e-7; the state is contractive, so it does not grow with T.
    @Test(arguments: LSTM.Direction.allCases)
    func forwardMatchesNaiveReference(_ direction: LSTM.Direction) {
        let lstm = Self.make(inputSize: 4, hiddenSize: 19, direction: direction, seed: 31)
        let shape = SequenceBatchShape(timeSteps: 6, lengths: [4, 6, 1])
        var random = SeededRandom(seed: 32)
        let x = random.floats(shape.rowCount * 4)
        let y = RecurrentRunner(lstm, shape: shape).forward(x)
        expectClose(y, Self.naiveForward(lstm, x, shape: shape), tolerance: 1e-5, "peephole LSTM \(direction)")
    }

    /// Every parameter (peepholes included) and every input value against central differences
    /// (`GradientCheck`: its ε and tolerance are explained there), both directions, padded batch.
    @Test(arguments: LSTM.Direction.allCases)
    func gradientsMatchFiniteDifferences(_ direction: LSTM.Direction) {
        let lstm = Self.make(inputSize: 3, hiddenSize: 5, direction: direction, seed: 33)
        let shape = SequenceBatchShape(timeSteps: 4, lengths: [2, 4, 3])
        let runner = RecurrentRunner(lstm, shape: shape)
        var random = SeededRandom(seed: 34)
        var x = random.floats(shape.rowCount * 3)
        let g = random.floats(shape.rowCount * 5)
        let (_, dx) = runner.gradients(x, upstream: g)
        #expect(lstm.parameters.count == 7)
        for p in lstm.parameters { GradientCheck.check(p, loss: { GradientCheck.dot(g, runner.forward(x)) }) }
        GradientCheck.check(
            "input", analytic: dx, get: { x[$0] }, set: { x[$0] = $1 },
            loss: { GradientCheck.dot(g, runner.forward(x)) })
    }

    /// From a caller's state (`c_0` reaches the input and forget gates through the peepholes at once).
    @Test func initialStateMatchesFiniteDifferences() {
        let lstm = Self.make(inputSize: 2, hiddenSize: 17, direction: .forward, seed: 35)
        let shape = SequenceBatchShape(timeSteps: 3, lengths: [3, 1])
        let runner = RecurrentRunner(lstm, shape: shape)
        var random = SeededRandom(seed: 36)
        let state = LSTMState(hidden: random.floats(2 * 17), cell: random.floats(2 * 17))
        let x = random.floats(shape.rowCount * 2)
        let g = random.floats(shape.rowCount * 17)
        _ = runner.gradients(x, upstream: g, initialState: state)
        for p in lstm.parameters {
            GradientCheck.check(p, limit: 80, loss: { GradientCheck.dot(g, runner.forward(x, initialState: state)) })
        }
    }

    /// Peepholes of zero add exactly zero to every pre-activation, so the outputs and gradients equal the
    /// plain LSTM's over the same weights bit for bit.
    @Test func zeroPeepholesEqualThePlainLSTM() {
        let lstm = Self.make(inputSize: 3, hiddenSize: 21, direction: .reverse, seed: 37)
        for p in lstm.peepholes!.parameters { p.value = [Float](repeating: 0, count: p.count) }
        let plain = LSTM(
            weightInput: lstm.weightInput, weightHidden: lstm.weightHidden, biasInput: lstm.biasInput,
            biasHidden: lstm.biasHidden, direction: .reverse)
        let shape = SequenceBatchShape(timeSteps: 5, lengths: [5, 3])
        var random = SeededRandom(seed: 38)
        let x = random.floats(shape.rowCount * 3), g = random.floats(shape.rowCount * 21)
        let a = RecurrentRunner(lstm, shape: shape).gradients(x, upstream: g)
        let aGradients = lstm.parameters.prefix(4).map(\.gradient)
        let b = RecurrentRunner(plain, shape: shape).gradients(x, upstream: g)
        #expect(a.y == b.y && a.dx == b.dx)
        #expect(aGradients == plain.parameters.map(\.gradient))
    }

    /// A stack with peepholes: parameter names and shapes, and a round trip through its state dict.
    @Test func stackNamesAndLoadsThePeepholes() throws {
        let configuration = BidirectionalLSTM.Configuration(
            inputSize: 3, hiddenSize: 4, layerCount: 2, cell: .lstm, peepholes: true)
        var generator = SeededGenerator(seed: 39)
        let stack = BidirectionalLSTM(configuration: configuration, generator: &generator)
        let names = stack.parameters.map(\.name)
        #expect(names.count == 2 * 2 * 7)
        #expect(Array(names[4..<7]) == ["lstm.weight_ci_l0", "lstm.weight_cf_l0", "lstm.weight_co_l0"])
        #expect(names.contains("lstm.weight_co_l1_reverse"))
        var dictionary = Dictionary(uniqueKeysWithValues: stack.parameters.map { ($0.name, $0) })
        let loaded = try BidirectionalLSTM(configuration: configuration, parameters: dictionary)
        #expect(loaded.parameters.map(\.name) == names)
        dictionary["lstm.weight_cf_l1"] = Parameter(name: "lstm.weight_cf_l1", shape: [5])
        #expect(throws: BidirectionalLSTM.ParameterError.shape(name: "lstm.weight_cf_l1", found: [5], expected: [4])) {
            try BidirectionalLSTM(configuration: configuration, parameters: dictionary)
        }
        dictionary["lstm.weight_cf_l1"] = nil
        #expect(throws: BidirectionalLSTM.ParameterError.missing(name: "lstm.weight_cf_l1")) {
            try BidirectionalLSTM(configuration: configuration, parameters: dictionary)
        }
    }
}
