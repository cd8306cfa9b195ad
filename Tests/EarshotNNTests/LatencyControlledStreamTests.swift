import Testing

@testable import EarshotNN

/// The streaming runner (`BidirectionalLSTM.LatencyControlledStream`) against the training path with the
/// same `LatencyControl`: one latency-controlled BiLSTM for both.
@Suite struct LatencyControlledStreamTests {
    init() { pinOpenBLASToOneThread() }

    /// Runs `x` `(T, I)` through a stream fed in blocks of `block` steps; returns the outputs `(T, 2H)`.
    static func streamed(_ lstm: BidirectionalLSTM, _ x: [Float], control: LatencyControl, block: Int) -> [Float] {
        let stream = BidirectionalLSTM.LatencyControlledStream(lstm: lstm, control: control)
        let width = lstm.configuration.outputSize, inputSize = lstm.configuration.inputSize
        var output: [Float] = []
        let collect = { (rows: UnsafePointer<Float>, count: Int) in
            output += UnsafeBufferPointer(start: rows, count: count * width)
        }
        for start in stride(from: 0, to: x.count, by: block * inputSize) {
            stream.accept(x[start..<min(start + block * inputSize, x.count)], emit: collect)
        }
        stream.finish(emit: collect)
        #expect(stream.emittedSteps == x.count / inputSize)
        return output
    }

    /// One layer: the stream's output is training's latency-controlled forward's, for every chunk and
    /// look-ahead and however the steps are fed (1e-6: the reverse windows run as one padded batch in
    /// training and one by one here, so the products' summation order may differ in the last bit).
    @Test(arguments: [(2, 0), (2, 3), (3, 1), (5, 5), (4, 8)])
    func oneLayerEqualsTraining(_ chunk: Int, _ lookahead: Int) {
        for cell in CellVariant.allCases { oneLayerEqualsTraining(chunk, lookahead, cell: cell) }
    }

    func oneLayerEqualsTraining(_ chunk: Int, _ lookahead: Int, cell: CellVariant) {
        let lstm = BidirectionalLSTMTests.make(inputSize: 3, hiddenSize: 4, layers: 1, seed: 12, cell: cell)
        let steps = 11
        var random = SeededRandom(seed: 13)
        let x = random.floats(steps * 3)
        let control = LatencyControl(chunkSteps: chunk, lookaheadSteps: lookahead)
        let training = lstm.forward(
            x, shape: SequenceBatchShape(timeSteps: steps, batchSize: 1),
            workspace: BidirectionalLSTM.Workspace(configuration: lstm.configuration), latencyControl: control)
        for block in [1, 4, steps] {
            let streamed = Self.streamed(lstm, x, control: control, block: block)
            #expect(streamed.count == training.count)
            #expect(zip(streamed, training).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(cell) block \(block)")
        }
    }

    /// Three layers, chunks longer than the sequence: the whole-sequence forward, whatever the feeding.
    @Test(arguments: CellVariant.allCases)
    func oneChunkIsTheWholeSequence(_ cell: CellVariant) {
        let lstm = BidirectionalLSTMTests.make(layers: 3, seed: 14, cell: cell)
        let steps = 9
        var random = SeededRandom(seed: 15)
        let x = random.floats(steps * 3)
        let whole = lstm.forward(
            x, shape: SequenceBatchShape(timeSteps: steps, batchSize: 1),
            workspace: BidirectionalLSTM.Workspace(configuration: lstm.configuration))
        let streamed = Self.streamed(lstm, x, control: LatencyControl(chunkSteps: 20, lookaheadSteps: 4), block: 2)
        #expect(zip(streamed, whole).allSatisfy { abs($0 - $1) <= 1e-6 })
    }
}
