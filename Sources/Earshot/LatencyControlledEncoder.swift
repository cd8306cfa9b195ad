import EarshotFeatures
import EarshotNN

/// Runs an `AcousticModel` over a stream of model input steps in latency-controlled chunks
/// (Zhang et al. 2015; Xue & Yan 2017), with the model's own weights, and returns log-probabilities as
/// soon as each chunk is final.
///
/// Steps are processed in chunks of `Nc = control.chunkSteps` with `Nr = control.lookaheadSteps` steps of
/// look-ahead. For each layer `k`, on the chunk's `Nc + Nr` input rows:
/// - the forward direction runs the `Nc` chunk steps from the state carried from the previous chunk; the
///   state after them is what the next chunk starts from; then it runs the `Nr` look-ahead steps on
///   from there (their outputs feed the layer above but are recomputed with the next chunk);
/// - the reverse direction starts from zero at the end of the look-ahead and runs back over all
///   `Nc + Nr` steps (the look-ahead warms it up);
/// - the layer's `(Nc + Nr, 2H)` output is the next layer's input.
/// Only the `Nc` chunk rows of the top layer go through the output `Linear` and log-softmax.
///
/// So the forward direction is exactly the whole-utterance one; only the reverse direction sees a
/// limited future. With `Nc ≥ T` the result equals `AcousticModel.logProbabilities`.
///
/// The model is shared and read-only; this object is the per-stream state (carried forward states,
/// pending input steps, workspaces). Memory: `Nc + Nr` steps of input and of each layer's output.
public final class LatencyControlledEncoder {
    public let model: AcousticModel
    /// `Nc` and `Nr`, as training's latency control uses them.
    public let control: LatencyControl
    /// Per layer, the forward direction's state at the end of the last chunk, `(1, H)` each.
    private var states: [LSTMState]
    /// `[layer][direction]`.
    private let workspaces: [[LSTM.Workspace]]
    /// Input steps received but not yet emitted, `(pendingCount, I)` row-major.
    private var pending: [Float] = []
    /// Per layer, the output `(Nc + Nr, 2H)` of the chunk being processed.
    private let layerOutputs: [UnsafeMutablePointer<Float>]
    /// Model steps whose log-probabilities have been returned.
    public private(set) var emittedSteps = 0
    private var finished = false

    /// - Precondition: `control` is valid (`LatencyControl.validate()`).
    public init(model: AcousticModel, control: LatencyControl = StreamingOptions().latencyControl) {
        do { try control.validate() } catch { preconditionFailure("invalid latency control: \(error)") }
        self.model = model
        self.control = control
        let h = model.config.hiddenSize, layers = model.config.layerCount
        states = (0..<layers).map { _ in LSTMState(zeroBatchSize: 1, hiddenSize: h) }
        workspaces = (0..<layers).map { _ in [LSTM.Workspace(hiddenSize: h), LSTM.Workspace(hiddenSize: h)] }
        let rows = control.windowSteps
        layerOutputs = (0..<layers).map { _ in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: rows * 2 * h)
            buffer.initialize(repeating: 0, count: rows * 2 * h)
            return buffer
        }
    }

    deinit { for buffer in layerOutputs { buffer.deallocate() } }

    /// Starts a new utterance: zero states, nothing pending (the buffers are kept).
    public func reset() {
        let h = model.config.hiddenSize
        states = states.map { _ in LSTMState(zeroBatchSize: 1, hiddenSize: h) }
        pending.removeAll(keepingCapacity: true)
        emittedSteps = 0
        finished = false
    }

    /// Input steps held until their chunk and its look-ahead are complete.
    public var pendingSteps: Int { pending.count / model.config.inputSize }

    /// Appends model input steps `(n, I)` and returns the log-probabilities `(m, V)` of every chunk now
    /// complete with its look-ahead (`m` a multiple of `Nc`, possibly 0).
    public func accept(_ steps: FeatureMatrix) -> FeatureMatrix {
        precondition(!finished, "accept after finish")
        precondition(steps.dimension == model.config.inputSize,
                     "steps have \(steps.dimension) values, model input \(model.config.inputSize)")
        pending += steps.values
        var output: [Float] = []
        let nc = control.chunkSteps, nr = control.lookaheadSteps
        while pendingSteps >= nc + nr { processChunk(chunk: nc, lookahead: nr, appendingTo: &output) }
        return FeatureMatrix(frameCount: output.count / model.config.outputSize, dimension: model.config.outputSize,
                             values: output)
    }

    /// Ends the stream: the log-probabilities of the steps still held, in chunks of at most `Nc` with
    /// whatever look-ahead remains.
    public func finish() -> FeatureMatrix {
        var output: [Float] = []
        if !finished {
            finished = true
            while pendingSteps > 0 {
                let chunk = min(control.chunkSteps, pendingSteps)
                processChunk(chunk: chunk, lookahead: min(control.lookaheadSteps, pendingSteps - chunk),
                             appendingTo: &output)
            }
        }
        return FeatureMatrix(frameCount: output.count / model.config.outputSize, dimension: model.config.outputSize,
                             values: output)
    }

    /// Log-probabilities `(T, V)` of a whole utterance `(T, I)` computed chunk by chunk, as a stream
    /// would (to measure what the limited look-ahead costs); starts afresh (`reset`) first.
    public func logProbabilities(_ input: FeatureMatrix) -> FeatureMatrix {
        reset()
        var result = accept(input)
        result.append(finish())
        return result
    }

    /// The same with a new encoder.
    public static func logProbabilities(
        model: AcousticModel, input: FeatureMatrix, control: LatencyControl
    ) -> FeatureMatrix {
        LatencyControlledEncoder(model: model, control: control).logProbabilities(input)
    }

    /// Runs the first `chunk + lookahead` pending steps through every layer, appends the `chunk` steps'
    /// log-probabilities `(chunk, V)` to `output` and drops the chunk from `pending`.
    private func processChunk(chunk: Int, lookahead: Int, appendingTo output: inout [Float]) {
        let config = model.config
        let h = config.hiddenSize, width = 2 * h, n = chunk + lookahead
        let chunkShape = SequenceBatchShape(timeSteps: chunk, batchSize: 1)
        let lookaheadShape = SequenceBatchShape(timeSteps: lookahead, batchSize: 1)
        let wholeShape = SequenceBatchShape(timeSteps: n, batchSize: 1)
        for k in 0..<config.layerCount {
            let layer = model.encoder.layers[k]
            let inputSize = model.encoder.configuration.inputSize(ofLayer: k)
            let forwardWorkspace = workspaces[k][0], reverseWorkspace = workspaces[k][1]
            let run = { (x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) in
                // Forward direction: the chunk from the carried state; keep the state after it.
                layer.forward.forward(input: x, inputStride: inputSize, output: y, outputStride: width,
                                      shape: chunkShape, workspace: forwardWorkspace, initialState: self.states[k])
                self.states[k] = forwardWorkspace.finalState
                // Then the look-ahead on from there (its state is not carried).
                if lookahead > 0 {
                    layer.forward.forward(input: x + chunk * inputSize, inputStride: inputSize,
                                          output: y + chunk * width, outputStride: width, shape: lookaheadShape,
                                          workspace: forwardWorkspace, initialState: self.states[k])
                }
                // Reverse direction: from zero at the end of the look-ahead, over chunk and look-ahead.
                layer.reverse.forward(input: x, inputStride: inputSize, output: y + h, outputStride: width,
                                      shape: wholeShape, workspace: reverseWorkspace)
            }
            if k == 0 {
                pending.withUnsafeBufferPointer { x in run(x.baseAddress!, layerOutputs[0]) }
            } else {
                run(UnsafePointer(layerOutputs[k - 1]), layerOutputs[k])
            }
        }
        // Output layer on the chunk rows of the top layer only.
        let v = config.outputSize, first = output.count
        output.append(contentsOf: repeatElement(0, count: chunk * v))
        output.withUnsafeMutableBufferPointer { y in
            let scores = y.baseAddress! + first
            model.output.forward(input: layerOutputs[config.layerCount - 1], rows: chunk, output: scores)
            LogSoftmax.forward(input: scores, output: scores, rows: chunk, columns: v)
        }
        pending.removeFirst(chunk * config.inputSize)
        emittedSteps += chunk
    }
}
