import EarshotFeatures
import EarshotNN

/// An `AcousticModel` run over a stream of model input steps in latency-controlled chunks: the model's
/// `BidirectionalLSTM` through its `LatencyControlledStream` (chunks of `Nc` steps with `Nr` steps of
/// look-ahead, as training with the same `LatencyControl` models it), then the output `Linear` and
/// log-softmax on each chunk's final rows, returned as soon as the chunk is final.
///
/// With `Nc ≥ T` the result equals `AcousticModel.logProbabilities`. The model is shared and read-only;
/// this object is one stream's state. Not thread-safe: one per stream.
package final class LatencyControlledEncoder {
    package let model: AcousticModel
    private let stream: BidirectionalLSTM.LatencyControlledStream

    package init(model: AcousticModel, control: LatencyControl) {
        self.model = model
        stream = BidirectionalLSTM.LatencyControlledStream(lstm: model.encoder, control: control)
    }

    /// `Nc` and `Nr`.
    package var control: LatencyControl { stream.control }

    /// Starts a new utterance: zero states, nothing pending.
    package func reset() { stream.reset() }

    /// Input steps held until their chunk and its look-ahead are complete.
    package var pendingSteps: Int { stream.pendingSteps }

    /// Appends model input steps `(n, I)` and returns the log-probabilities `(m, V)` of every chunk now
    /// complete with its look-ahead (`m` a multiple of `Nc`, possibly 0).
    package func accept(_ steps: FeatureMatrix) -> FeatureMatrix {
        precondition(
            steps.dimension == model.config.inputSize,
            "steps have \(steps.dimension) values, model input \(model.config.inputSize)")
        var output: [Float] = []
        stream.accept(steps.values) { rows, count in appendLogProbabilities(rows, count: count, to: &output) }
        return logProbabilityMatrix(output)
    }

    /// Ends the stream: the log-probabilities of the steps still held.
    package func finish() -> FeatureMatrix {
        var output: [Float] = []
        stream.finish { rows, count in appendLogProbabilities(rows, count: count, to: &output) }
        return logProbabilityMatrix(output)
    }

    /// Log-probabilities `(T, V)` of a whole utterance `(T, I)` computed chunk by chunk, as a stream
    /// would (to measure what the limited look-ahead costs); starts afresh (`reset`) first.
    package func logProbabilities(_ input: FeatureMatrix) -> FeatureMatrix {
        reset()
        var result = accept(input)
        result.append(finish())
        return result
    }

    /// The output layer and log-softmax of `count` top-layer rows `(count, 2H)`, appended to `output`.
    private func appendLogProbabilities(_ rows: UnsafePointer<Float>, count: Int, to output: inout [Float]) {
        let v = model.config.outputSize, first = output.count
        output.append(contentsOf: repeatElement(0, count: count * v))
        output.withUnsafeMutableBufferPointer { y in
            let scores = y.baseAddress! + first
            model.output.forward(input: rows, rows: count, output: scores)
            LogSoftmax.forward(input: scores, output: scores, rows: count, columns: v)
        }
    }

    private func logProbabilityMatrix(_ values: [Float]) -> FeatureMatrix {
        FeatureMatrix(
            frameCount: values.count / model.config.outputSize, dimension: model.config.outputSize,
            values: values)
    }
}
