import EarshotNN
import Foundation

/// Uniform Float in [0, 1) from a 64-bit LCG (Knuth's MMIX constants), 24 bits per draw — the same
/// stream Scripts/bench/ctc.py draws, so both sides time identical inputs and can compare losses.
struct BenchLCG {
    var state: UInt64
    mutating func next() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 24)
    }
}

/// `earshot-bench ctc`: CTCLoss forward + backward (losses and the gradient w.r.t. the logits) on a
/// synthetic batch — logits (T, B, V) uniform in [−2, 2), every input T frames long, targets of
/// `--labels` labels in 1..<V, each repeating its predecessor with probability 0.1 — timed over
/// `--repeats` calls after one warm-up. The first call allocates the gradient; the timed ones reuse it.
func benchCTC(_ arguments: ArraySlice<String>) throws {
    var batch = 16, frames = 333, vocabulary = 29, labels = 150, threads = 1, repeats = 21
    var iterator = arguments.makeIterator()
    while let flag = iterator.next() {
        guard let value = iterator.next().flatMap({ Int($0) }), value > 0 else {
            fail("\(flag) needs a positive number")
        }
        switch flag {
        case "--batch": batch = value
        case "--frames": frames = value
        case "--vocabulary": vocabulary = value
        case "--labels": labels = value
        case "--threads": threads = value
        case "--repeats": repeats = value
        default: fail("unknown option \(flag) for ctc")
        }
    }
    guard vocabulary >= 2, labels <= frames / 2 else { fail("ctc needs V ≥ 2 and labels ≤ frames / 2") }
    var random = BenchLCG(state: 42)
    let logits = (0..<(frames * batch * vocabulary)).map { _ in 4 * random.next() - 2 }
    let targets = (0..<batch).map { _ in
        var target: [Int] = []
        for i in 0..<labels {
            if i > 0 && random.next() < 0.1 {
                target.append(target[i - 1])
            } else {
                target.append(1 + Int(random.next() * Float(vocabulary - 1)))
            }
        }
        return target
    }
    let inputLengths = [Int](repeating: frames, count: batch)
    var loss = CTCLoss()
    loss.maxThreads = threads
    var gradient = [Float](repeating: 0, count: logits.count)
    var results: [CTCLoss.SequenceResult] = []
    func run() {
        results = gradient.withUnsafeMutableBufferPointer { gradient in
            logits.withUnsafeBufferPointer { logits in
                loss.compute(
                    logits: logits.baseAddress!, timeSteps: frames, batchSize: batch, vocabularySize: vocabulary,
                    inputLengths: inputLengths, targets: targets, gradient: gradient.baseAddress!)
            }
        }
    }
    run()  // warm-up
    var times: [Double] = [], cpuTimes: [Double] = []
    for _ in 0..<repeats {
        let cpuStart = clock()
        times.append(seconds(run))
        cpuTimes.append(Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC))
    }
    let lossSum = results.reduce(0.0) { $0 + Double($1.loss ?? .nan) }
    let result: [String: Any] = [
        "batch": batch, "frames": frames, "vocabulary": vocabulary, "labels": labels, "threads": threads,
        "median_seconds": median(times), "times": times, "loss_sum": lossSum,
        "process_cpu_median_seconds": median(cpuTimes),
        "gradient_abs_sum": gradient.reduce(0.0) { $0 + Double(abs($1)) },
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}
