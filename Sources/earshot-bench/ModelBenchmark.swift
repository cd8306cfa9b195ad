import Earshot
import EarshotNN
import Foundation

/// Times one training step (forward, CTC loss and gradient, backward, clipping, Adam) or inference
/// (forward and log-softmax) on the reference model and random data, as Scripts/bench/lstm.py does for
/// PyTorch. `--cell gru`, `--peepholes` and `--hidden H` change the recurrent layers (`AcousticModelConfig`).
func benchModel(_ kind: String, _ arguments: ArraySlice<String>) throws {
    var batch = 16, steps = 333, threads = 2, repeats = 5, targetLength = 150, chunkSteps = 0, lookaheadSteps = 0
    var config = AcousticModelConfig()
    var iterator = arguments.makeIterator()
    while let flag = iterator.next() {
        if flag == "--peepholes" {
            config.peepholes = true
            continue
        }
        if flag == "--cell" {
            guard let text = iterator.next(), let cell = RecurrentCell(rawValue: text) else {
                fail("--cell is lstm or gru")
            }
            config.cell = cell
            continue
        }
        guard let text = iterator.next(), let value = Int(text), value > 0 else {
            fail("\(flag) needs a positive number")
        }
        switch flag {
        case "--batch": batch = value
        case "--steps": steps = value
        case "--threads": threads = value
        case "--repeats": repeats = value
        case "--target-length": targetLength = value
        case "--chunk-steps": chunkSteps = value  // latency-controlled training step (train-step)
        case "--lookahead-steps": lookaheadSteps = value
        case "--hidden": config.hiddenSize = value
        default: fail("unknown option \(flag)")
        }
    }
    try config.validate()
    let model = try AcousticModel(config: config, seed: 1)
    // One thread: everything sequential on one core. Two: the BiLSTM's directions on one core each.
    BLASRuntime.threads = 1
    var ctc = CTCLoss()
    ctc.maxThreads = threads
    let workspace = AcousticModel.Workspace(model: model)
    workspace.schedule = threads >= 2 ? .concurrentDirections : .sequential
    let optimizer = Adam()
    let v = model.config.outputSize, f = model.config.inputSize
    var generator = SeededGenerator(seed: 7)
    let shape = SequenceBatchShape(timeSteps: steps, lengths: Array(repeating: steps, count: batch))
    let inputs = (0..<steps * batch * f).map { _ in generator.nextUniform() * 2 - 1 }
    let targets = (0..<batch).map { _ in (0..<targetLength).map { _ in Int.random(in: 1..<v, using: &generator) } }
    var gradient = [Float](repeating: 0, count: steps * batch * v)
    let latencyControl = chunkSteps > 0 ? LatencyControl(chunkSteps: chunkSteps, lookaheadSteps: lookaheadSteps) : nil

    func once() {
        switch kind {
        case "inference":
            inputs.withUnsafeBufferPointer { x in
                var scores = model.forward(x.baseAddress!, shape: shape, training: false, workspace: workspace)
                scores.withUnsafeMutableBufferPointer {
                    LogSoftmax.forward(
                        input: $0.baseAddress!, output: $0.baseAddress!, rows: shape.rowCount, columns: v)
                }
            }
        default:
            for p in model.parameters { p.zeroGradient() }
            inputs.withUnsafeBufferPointer { x in
                let scores = model.forward(
                    x.baseAddress!, shape: shape, training: true, workspace: workspace, latencyControl: latencyControl)
                scores.withUnsafeBufferPointer { z in
                    gradient.withUnsafeMutableBufferPointer { g in
                        _ = ctc.compute(
                            logits: z.baseAddress!, timeSteps: steps, batchSize: batch, vocabularySize: v,
                            inputLengths: shape.lengths, targets: targets,
                            weights: Array(repeating: 1 / Float(batch), count: batch), gradient: g.baseAddress!)
                    }
                }
                gradient.withUnsafeBufferPointer { g in
                    model.backward(input: x.baseAddress!, logitGradient: g.baseAddress!, workspace: workspace)
                }
            }
            _ = clipGradientNorm(model.parameters, maxNorm: 5)
            optimizer.update(model.parameters, learningRate: 1e-4)
        }
    }
    once()  // warm-up: workspaces sized, pages touched
    var times: [Double] = []
    for _ in 0..<repeats { times.append(seconds { once() }) }
    let result: [String: Any] = [
        "kind": kind, "batch": batch, "steps": steps, "threads": threads, "median_seconds": median(times),
        "times": times, "blas_core": BLASRuntime.coreName, "parameters": model.parameterCount,
        "chunk_steps": chunkSteps, "lookahead_steps": lookaheadSteps,
        "cell": config.cell.rawValue, "peepholes": config.peepholes, "hidden": config.hiddenSize,
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}
