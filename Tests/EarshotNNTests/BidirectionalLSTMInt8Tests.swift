import Testing

@testable import EarshotNN

/// The int8 inference path of the BiLSTM (`quantizedForInference`, LSTM+Int8.swift) against float32, on
/// every kernel path this CPU runs.
@Suite struct BidirectionalLSTMInt8Tests {
    init() { pinOpenBLASToOneThread() }

    /// A 3-layer stack of the reference model's hidden size (so the products have its shapes) on a padded
    /// batch of three sequences, one of them empty.
    static let lstm = BidirectionalLSTMTests.make(inputSize: 40, hiddenSize: 256, layers: 3, seed: 31)
    static let shape = SequenceBatchShape(timeSteps: 30, lengths: [30, 17, 0])
    static let input: [Float] = {
        var random = SeededRandom(seed: 32)
        return random.floats(shape.rowCount * 40).map { $0 * 2 }
    }()

    static func run(_ lstm: BidirectionalLSTM, schedule: BidirectionalLSTM.Schedule = .sequential) -> [Float] {
        let workspace = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        workspace.schedule = schedule
        return lstm.forward(input, shape: shape, workspace: workspace)
    }

    /// The outputs `h ∈ (−1, 1)` of int8 and float32 differ by at most 0.01 anywhere (measured: 0.0024;
    /// the errors of the pre-activations, ~1e-3, pass through three layers and 30 recurrent steps, and
    /// the bound leaves room for that to vary with compilers), padding is exactly zero, and every kernel path gives the same output bit for bit (the kernels' contract), with either
    /// schedule.
    @Test(arguments: Int8Matrix.KernelPath.allCases.filter(\.isSupported))
    func int8MatchesFloat32(_ path: Int8Matrix.KernelPath) {
        let float32 = Self.run(Self.lstm)
        let quantized = Self.lstm.quantizedForInference(path: path)
        #expect(quantized.weightPrecision == .int8 && Self.lstm.weightPrecision == .f32)
        let int8 = Self.run(quantized)
        let difference = zip(float32, int8).map { abs($0 - $1) }.max()!
        #expect(difference <= 0.01, "max |int8 − f32| = \(difference)")
        #expect(difference > 0, "int8 differs from f32 somewhere (else the int8 path did not run)")
        let width = Self.lstm.configuration.outputSize
        for t in 17..<30 {
            let row = (t * 3 + 1) * width
            #expect(int8[row..<(row + width)].allSatisfy { $0 == 0 }, "padding at t = \(t)")
        }
        #expect(int8 == Self.run(Self.lstm.quantizedForInference(path: .scalar)), "\(path) equals scalar")
        #expect(int8 == Self.run(quantized, schedule: .concurrentDirections), "schedules agree")
    }

    /// The GRU and the peephole LSTM quantised: outputs within the same 0.01 of float32 (a 2-layer stack of
    /// H = 64 on the same padded batch; measured: GRU 0.0053, peepholes 0.0028), padding zero, every kernel path bit-identical to the scalar one,
    /// and a stream of one chunk equal to the int8 whole-sequence forward.
    @Test(arguments: [CellVariant.gru, .peepholes])
    func int8MatchesFloat32ForTheOtherCells(_ cell: CellVariant) {
        let stack = BidirectionalLSTMTests.make(inputSize: 40, hiddenSize: 64, layers: 2, seed: 36, cell: cell)
        let float32 = Self.run(stack)
        let quantized = stack.quantizedForInference()
        #expect(quantized.weightPrecision == .int8)
        let int8 = Self.run(quantized)
        let difference = zip(float32, int8).map { abs($0 - $1) }.max()!
        #expect(difference <= 0.01 && difference > 0, "\(cell): max |int8 − f32| = \(difference)")
        let width = stack.configuration.outputSize
        for t in 17..<30 {
            let row = (t * 3 + 1) * width
            #expect(int8[row..<(row + width)].allSatisfy { $0 == 0 }, "padding at t = \(t)")
        }
        #expect(int8 == Self.run(stack.quantizedForInference(path: .scalar)), "\(cell): paths agree")
        #expect(int8 == Self.run(quantized, schedule: .concurrentDirections), "\(cell): schedules agree")
        var random = SeededRandom(seed: 37)
        let x = random.floats(12 * 40)
        let whole = quantized.forward(
            x, shape: SequenceBatchShape(timeSteps: 12, batchSize: 1),
            workspace: BidirectionalLSTM.Workspace(configuration: stack.configuration))
        let streamed = LatencyControlledStreamTests.streamed(
            quantized, x, control: LatencyControl(chunkSteps: 12, lookaheadSteps: 0), block: 5)
        #expect(streamed == whole, "\(cell): stream")
    }

    /// Streaming with int8 weights (`LatencyControlledStream` runs `LSTM.forward`, which takes the int8
    /// path): with one chunk as long as the input, the stream's output equals the int8 whole-sequence
    /// forward; with chunks of 5, the forward direction — which carries its state from chunk to chunk
    /// (`initialState`, through the int8 recurrent product) — still equals the whole-sequence one.
    @Test func streamingWithInt8Weights() {
        let lstm = BidirectionalLSTMTests.make(inputSize: 40, hiddenSize: 32, layers: 2, seed: 33)
            .quantizedForInference()
        var random = SeededRandom(seed: 34)
        let x = random.floats(25 * 40)
        let whole = lstm.forward(
            x, shape: SequenceBatchShape(timeSteps: 25, batchSize: 1),
            workspace: BidirectionalLSTM.Workspace(configuration: lstm.configuration))
        let streamed = LatencyControlledStreamTests.streamed(
            lstm, x, control: LatencyControl(chunkSteps: 25, lookaheadSteps: 0), block: 4)
        #expect(streamed == whole)
        let oneLayer = BidirectionalLSTMTests.make(inputSize: 40, hiddenSize: 32, layers: 1, seed: 35)
            .quantizedForInference()
        let wholeOne = oneLayer.forward(
            x, shape: SequenceBatchShape(timeSteps: 25, batchSize: 1),
            workspace: BidirectionalLSTM.Workspace(configuration: oneLayer.configuration))
        let chunked = LatencyControlledStreamTests.streamed(
            oneLayer, x, control: LatencyControl(chunkSteps: 5, lookaheadSteps: 20), block: 7)
        for t in 0..<25 {
            let row = t * 64
            #expect(Array(chunked[row..<(row + 32)]) == Array(wholeOne[row..<(row + 32)]), "forward half, t = \(t)")
        }
    }
}
