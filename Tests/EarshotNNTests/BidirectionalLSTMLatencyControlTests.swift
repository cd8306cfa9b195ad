import Testing

@testable import EarshotNN

/// Latency-controlled training (`LatencyControl`): the reverse directions on chunk windows.
@Suite struct BidirectionalLSTMLatencyControlTests {
    init() { pinOpenBLASToOneThread() }

    /// Chunks at least as long as every sequence: one window per sequence, the whole-sequence result — to 1e-6,
    /// not bit for bit: the windows put the reverse direction's rows in other places of its products (3 windows
    /// of 9 steps against a batch of 4 × 7), and OpenBLAS's Haswell and Zen SGEMM kernels round a row by its place
    /// in their row blocks (see `BidirectionalLSTM.rowSplit`; measured: up to 1.2e-7 apart, equal on SkylakeX).
    @Test func oneChunkIsTheWholeSequence() {
        let lstm = BidirectionalLSTMTests.make(layers: 3, seed: 6)
        let shape = SequenceBatchShape(timeSteps: 7, lengths: [7, 4, 0, 6])
        let workspace = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        var random = SeededRandom(seed: 7)
        let x = random.floats(shape.rowCount * 3)
        let whole = lstm.forward(x, shape: shape, workspace: workspace)
        let chunked = lstm.forward(
            x, shape: shape, workspace: workspace, latencyControl: LatencyControl(chunkSteps: 7, lookaheadSteps: 2))
        expectClose(chunked, whole, tolerance: 1e-6, "chunked")
    }

    /// One layer: the forward half is the whole-sequence forward direction; the reverse half of chunk
    /// `c` is the reverse direction run alone over steps `[c·Nc, c·Nc + Nc + Nr)` — what a streaming
    /// recognizer computes.
    @Test(arguments: [(2, 0), (2, 3), (3, 1), (5, 5)])
    func oneLayerEqualsReverseRunPerWindow(_ chunk: Int, _ lookahead: Int) {
        for cell in CellVariant.allCases { oneLayerEqualsReverseRunPerWindow(chunk, lookahead, cell: cell) }
    }

    func oneLayerEqualsReverseRunPerWindow(_ chunk: Int, _ lookahead: Int, cell: CellVariant) {
        let lstm = BidirectionalLSTMTests.make(inputSize: 3, hiddenSize: 4, layers: 1, seed: 8, cell: cell)
        let shape = SequenceBatchShape(timeSteps: 9, lengths: [9, 5, 1])
        let (B, H, I) = (shape.batchSize, 4, 3)
        var random = SeededRandom(seed: 9)
        let x = random.floats(shape.rowCount * I)
        let workspace = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        let whole = lstm.forward(x, shape: shape, workspace: workspace)
        let chunked = lstm.forward(
            x, shape: shape, workspace: workspace,
            latencyControl: LatencyControl(chunkSteps: chunk, lookaheadSteps: lookahead))
        let reverse = lstm.layers[0].reverse
        for b in 0..<B {
            let length = shape.lengths[b]
            for start in stride(from: 0, to: length, by: chunk) {
                let end = min(start + chunk + lookahead, length)
                var window: [Float] = []
                for t in start..<end { window += x[((t * B + b) * I)..<((t * B + b) * I + I)] }
                var out = [Float](repeating: 0, count: (end - start) * H)
                let ws = cell.cell.makeWorkspace(hiddenSize: H)
                window.withUnsafeBufferPointer { w in
                    out.withUnsafeMutableBufferPointer { o in
                        reverse.forward(
                            input: w.baseAddress!, output: o.baseAddress!,
                            shape: SequenceBatchShape(timeSteps: end - start, batchSize: 1), workspace: ws)
                    }
                }
                for t in start..<min(start + chunk, length) {
                    let row = (t * B + b) * 2 * H
                    #expect(Array(chunked[row..<(row + H)]) == Array(whole[row..<(row + H)]))
                    for j in 0..<H {
                        #expect(abs(chunked[row + H + j] - out[(t - start) * H + j]) <= 1e-6, "b \(b) t \(t)")
                    }
                }
            }
        }
        // Padding stays zero.
        for t in 0..<shape.timeSteps {
            for b in 0..<B where t >= shape.lengths[b] {
                #expect(chunked[((t * B + b) * 2 * H)..<((t * B + b + 1) * 2 * H)].allSatisfy { $0 == 0 })
            }
        }
    }

    /// Chunked forward and backward through three layers with dropout, a padded batch and windows of
    /// several lengths, against central finite differences.
    @Test(arguments: BidirectionalLSTM.Schedule.allCases, CellVariant.allCases)
    func chunkedStackMatchesFiniteDifferences(_ schedule: BidirectionalLSTM.Schedule, _ cell: CellVariant) {
        let lstm = BidirectionalLSTMTests.make(layers: 3, dropout: 0.2, seed: 10, cell: cell)
        BidirectionalLSTMTests.checkAgainstFiniteDifferences(
            lstm, shape: SequenceBatchShape(timeSteps: 6, lengths: [5, 6, 3]), seed: 11,
            latencyControl: LatencyControl(chunkSteps: 2, lookaheadSteps: 1), samplesPerParameter: 16,
            schedule: schedule)
    }

    /// A whole-sequence forward after a chunked one on the same workspace is the plain result again.
    @Test func workspaceForgetsTheWindows() {
        let lstm = BidirectionalLSTMTests.make(layers: 2, seed: 12)
        let shape = SequenceBatchShape(timeSteps: 8, lengths: [8, 3])
        var random = SeededRandom(seed: 13)
        let x = random.floats(shape.rowCount * 3)
        let g = random.floats(shape.rowCount * 8)
        let fresh = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        for p in lstm.parameters { p.zeroGradient() }
        let y = lstm.forward(x, shape: shape, workspace: fresh)
        let dx = lstm.backward(x, outputGradient: g, workspace: fresh)
        let grads = lstm.parameters.map(\.gradient)
        let reused = BidirectionalLSTM.Workspace(configuration: lstm.configuration)
        _ = lstm.forward(
            x, shape: shape, workspace: reused, latencyControl: LatencyControl(chunkSteps: 3, lookaheadSteps: 1))
        for p in lstm.parameters { p.zeroGradient() }
        #expect(lstm.forward(x, shape: shape, workspace: reused) == y)
        #expect(lstm.backward(x, outputGradient: g, workspace: reused) == dx)
        #expect(lstm.parameters.map(\.gradient) == grads)
    }
}
