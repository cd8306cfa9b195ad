import EarshotNN
import Foundation

/// CPU seconds this process has used, all threads together.
func processCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `earshot-bench lstm (train | infer) [--batch 16] [--steps 333] [--threads 2] [--schedule concurrent|sequential]
/// [--precision f32|int8] [--cell lstm|gru] [--peepholes] [--hidden 256]`: the BiLSTM stack + Linear + log-softmax
/// of the reference model, forward (and backward), as Scripts/bench/lstm.py times PyTorch's; `int8` (inference
/// only) quantises the LSTM's weights first (`BidirectionalLSTM.quantizedForInference`, on the fastest kernel path
/// of this CPU). `--cell gru` runs the same stack of GRU cells (PyTorch's `nn.GRU`), `--peepholes` LSTM cells with
/// peephole connections (`RecurrentCell`, `BidirectionalLSTM.Configuration`); without them it is the plain LSTM,
/// drawn from the same seed, so its checksum (the sum of the last run's log-probs) matches older builds'.
func benchLSTM(_ arguments: ArraySlice<String>) {
    var mode = "train", batch = 16, steps = 333, threads = 2, repeats = 5
    var inputSize = 240, hidden = 256, layers = 3, outputs = 29
    var cell = RecurrentCell.lstm, peepholes = false
    var schedule = BidirectionalLSTM.Schedule.concurrentDirections
    var precision = WeightPrecision.f32
    var iterator = arguments.makeIterator()
    func value(_ flag: String) -> String {
        guard let v = iterator.next() else { fail("\(flag) needs a value") }
        return v
    }
    while let argument = iterator.next() {
        switch argument {
        case "lstm": continue
        case "train", "infer": mode = argument
        case "--batch": batch = Int(value(argument)) ?? 0
        case "--steps": steps = Int(value(argument)) ?? 0
        case "--threads": threads = Int(value(argument)) ?? 0
        case "--repeats": repeats = Int(value(argument)) ?? 0
        case "--input": inputSize = Int(value(argument)) ?? 0
        case "--hidden": hidden = Int(value(argument)) ?? 0
        case "--layers": layers = Int(value(argument)) ?? 0
        case "--outputs": outputs = Int(value(argument)) ?? 0
        case "--cell":
            guard let c = RecurrentCell(rawValue: value(argument)) else { fail("--cell is lstm or gru") }
            cell = c
        case "--peepholes": peepholes = true
        case "--precision":
            guard let p = WeightPrecision(rawValue: value(argument)) else { fail("--precision is f32 or int8") }
            precision = p
        case "--schedule":
            switch value(argument) {
            case "concurrent": schedule = .concurrentDirections
            case "sequential": schedule = .sequential
            default: fail("--schedule is concurrent or sequential")
            }
        default: fail("unknown argument \(argument)")
        }
    }
    guard batch > 0, steps > 0, threads > 0, repeats > 0 else { fail("sizes must be positive") }
    guard precision == .f32 || mode == "infer" else { fail("--precision int8 is for infer only") }
    guard !peepholes || cell == .lstm else { fail("--peepholes is for --cell lstm only") }
    // The concurrent schedule runs OpenBLAS single-threaded; set it once so nothing is switched per call.
    BLASRuntime.threads = schedule == .concurrentDirections ? 1 : threads
    var generator = SeededGenerator(seed: 42)
    let configuration = BidirectionalLSTM.Configuration(
        inputSize: inputSize, hiddenSize: hidden, layerCount: layers, dropout: mode == "train" ? 0.1 : 0, cell: cell,
        peepholes: peepholes)
    let trained = BidirectionalLSTM(configuration: configuration, generator: &generator)
    var lstm = trained
    let quantizeSeconds = seconds { lstm = trained.withWeightPrecision(precision) }
    let training = mode == "train"
    let linear = Linear(inputSize: 2 * hidden, outputSize: outputs, name: "output", generator: &generator)
    let shape = SequenceBatchShape(timeSteps: steps, batchSize: batch)
    let rows = shape.rowCount
    let workspace = BidirectionalLSTM.Workspace(configuration: configuration)
    workspace.schedule = schedule
    let input = Initialization.uniform(count: rows * inputSize, bound: 1, generator: &generator)
    let upstream = Initialization.uniform(count: rows * outputs, bound: 0.1, generator: &generator)
    var logprobs = [Float](repeating: 0, count: rows * outputs)
    var logitGradient = [Float](repeating: 0, count: rows * outputs)
    var hiddenGradient = [Float](repeating: 0, count: rows * 2 * hidden)
    var forwardTimes: [Double] = [], totalTimes: [Double] = [], cpuTimes: [Double] = []
    input.withUnsafeBufferPointer { x in
        logprobs.withUnsafeMutableBufferPointer { y in
            logitGradient.withUnsafeMutableBufferPointer { dz in
                hiddenGradient.withUnsafeMutableBufferPointer { dh in
                    upstream.withUnsafeBufferPointer { g in
                        for run in 0...repeats {  // run 0 warms up (sizes the workspace, touches memory)
                            var forward = 0.0
                            let cpu0 = processCPU()
                            let total = seconds {
                                forward = seconds {
                                    lstm.forward(
                                        input: x.baseAddress!, shape: shape, workspace: workspace, training: training)
                                    let h = workspace.output.baseAddress!
                                    linear.forward(input: h, rows: rows, output: y.baseAddress!)
                                    LogSoftmax.forward(
                                        input: y.baseAddress!, output: y.baseAddress!, rows: rows, columns: outputs)
                                }
                                guard mode == "train" else { return }
                                for p in lstm.parameters + linear.parameters { p.zeroGradient() }
                                LogSoftmax.backward(
                                    output: y.baseAddress!, outputGradient: g.baseAddress!,
                                    inputGradient: dz.baseAddress!,
                                    rows: rows, columns: outputs)
                                linear.backward(
                                    input: workspace.output.baseAddress!, rows: rows, outputGradient: dz.baseAddress!,
                                    inputGradient: dh.baseAddress!)
                                lstm.backward(
                                    input: x.baseAddress!, outputGradient: dh.baseAddress!, inputGradient: nil,
                                    workspace: workspace)
                            }
                            let cpu = processCPU() - cpu0
                            if run > 0 {
                                cpuTimes.append(cpu)
                                forwardTimes.append(forward)
                                totalTimes.append(total)
                            }
                        }
                    }
                }
            }
        }
    }
    // Multiply–adds: per direction and layer, input projection T·B·GH·I and recurrence T·B·GH·H (G gates: 4 for
    // the LSTM, 3 for the GRU; peepholes' elementwise products not counted); backward does each twice more (dX,
    // dW_ih; dh, dW_hh), minus layer 0's dX (not needed).
    var forwardFlops = 0.0, backwardFlops = 0.0
    let gates = Double(cell.gateCount)
    for k in 0..<layers {
        let i = Double(k == 0 ? inputSize : 2 * hidden), h = Double(hidden), r = Double(rows)
        forwardFlops += 2 * 2 * r * gates * h * (i + h)
        backwardFlops += 2 * 2 * r * gates * h * ((k == 0 ? 1 : 2) * i + 2 * h)
    }
    forwardFlops += 2 * Double(rows) * Double(2 * hidden * outputs)
    backwardFlops += 2 * 2 * Double(rows) * Double(2 * hidden * outputs)
    let flops = mode == "train" ? forwardFlops + backwardFlops : forwardFlops
    let result: [String: Any] = [
        "mode": mode, "batch": batch, "steps": steps, "threads": threads,
        "schedule": schedule.rawValue, "precision": precision.rawValue, "quantize_seconds": quantizeSeconds,
        "kernel": Int8Matrix.KernelPath.best.rawValue,
        "input": inputSize, "hidden": hidden, "layers": layers, "outputs": outputs, "cell": cell.rawValue,
        "peepholes": peepholes,
        "parameters": (lstm.parameters + linear.parameters).reduce(0) { $0 + $1.count },
        "median_seconds": median(totalTimes), "times": totalTimes, "cpu_seconds": cpuTimes,
        "forward_median_seconds": median(forwardTimes),
        "gflop": flops / 1e9, "gflops_per_second": flops / median(totalTimes) / 1e9,
        "blas": BLASRuntime.summary, "checksum": Double(logprobs.reduce(0, +)),
    ]
    let json = try! JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}
