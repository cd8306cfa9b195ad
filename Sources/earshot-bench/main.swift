// earshot-bench: times Earshot's stages in-process, the way the peer benchmarks in Scripts/bench time
// theirs (input already in memory), and prints one JSON line per run.
//
//   earshot-bench features FILE [--repeats N] [--dump OUT.npy]
//   earshot-bench features --synthetic SECONDS [--repeats N]
//   earshot-bench train-step | inference | ctc [--batch B] [--steps T] [--threads N] [--repeats N]
//                [--chunk-steps NC --lookahead-steps NR]   (train-step: latency-controlled)
//                [--cell lstm|gru] [--peepholes] [--hidden H]   (train-step, inference: other recurrent layers)
//   earshot-bench random-model OUT.safetensors     an untrained reference model, for speed measurements
//   earshot-bench lstm (train | infer) [--batch B] [--steps T] [--threads N] [--schedule concurrent|sequential]
//                [--precision f32|int8] [--cell lstm|gru] [--peepholes] [--hidden H]
//   earshot-bench ctc [--batch B] [--frames T] [--labels L] [--threads N] [--repeats N]
//   earshot-bench decode POSTERIORS.npy [--beam N] [--hotwords FILE] [--lm ARPA] [--blank-skip P] [--top-k K]
//                [--repeats N] [--nbest N]
//   earshot-bench lm-load ARPA [--repeats N]        parsing an ARPA file and building a decoder over it
//   mpirun -np N earshot-bench allreduce [--floats N] [--repeats N]   one MPI_Allreduce of the fused gradient
//       the reference model (`AcousticModelConfig()`; Scripts/bench/lstm.py builds the same in PyTorch):
//       240 inputs (3 × 80 log-mel), 3 BiLSTM layers of 256 per direction, Linear to 29; train-step adds CTC
//       on targets of 150 characters and Adam (ModelBenchmark.swift)
import Earshot
import EarshotAudio
import EarshotFeatures
import EarshotNN
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("earshot-bench: \(message)\n".utf8))
    exit(2)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1
        ? sorted[sorted.count / 2]
        : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Seeded noise shaped like speech loudness (for runs without a file); the front end's cost does not
/// depend on the signal's content.
func syntheticSignal(seconds: Double, rate: Int) -> [Float] {
    var state: UInt64 = 42
    return (0..<Int(seconds * Double(rate))).map { i in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let noise = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
        return 0.1 * noise * (1 + sinf(Float(i) * 2 * .pi / Float(rate)))
    }
}

func benchFeatures(_ arguments: ArraySlice<String>) throws {
    var repeats = 7, path: String?, dump: String?, synthetic: Double?
    var iterator = arguments.makeIterator()
    func value(of flag: String) -> String {
        guard let value = iterator.next() else { fail("\(flag) needs a value") }
        return value
    }
    while let argument = iterator.next() {
        switch argument {
        case "--repeats": repeats = Int(value(of: argument)) ?? 0
        case "--dump": dump = value(of: argument)
        case "--synthetic": synthetic = Double(value(of: argument)) ?? 0
        default: path = argument
        }
    }
    guard repeats > 0 else { fail("--repeats needs a positive number") }
    let options = FbankOptions()
    let rate = Int(options.frame.sampleRate)
    let samples: [Float]
    if let synthetic {
        samples = syntheticSignal(seconds: synthetic, rate: rate)
    } else if let path {
        samples = try AudioFile.read(path: path, sampleRate: rate).samples
    } else {
        fail("features needs FILE or --synthetic SECONDS")
    }
    let fbank = try Fbank(options: options)
    var features = try fbank.compute(samples)  // warm-up: plans the FFT, touches the memory
    var times: [Double] = []
    for _ in 0..<repeats {
        times.append(try seconds { features = try fbank.compute(samples) })
    }
    if let dump { try features.writeNPY(to: dump) }
    let result: [String: Any] = [
        "frames": features.frameCount, "bins": features.dimension,
        "audio_seconds": Double(samples.count) / Double(rate),
        "median_seconds": median(times), "times": times, "threads": 1,
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}

BLASRuntime.relaunchWithFasterBLASIfNeeded()
let arguments = CommandLine.arguments.dropFirst()
do {
    switch arguments.first {
    case "features": try benchFeatures(arguments.dropFirst())
    case "ctc": try benchCTC(arguments.dropFirst())
    case "lstm": benchLSTM(arguments.dropFirst())
    case "decode": try benchDecode(arguments.dropFirst())
    case "lm-load": try benchLanguageModelLoad(arguments.dropFirst())
    case "allreduce": try benchAllreduce(arguments.dropFirst())
    case "train-step", "inference": try benchModel(arguments.first!, arguments.dropFirst())
    case "random-model":
        // An untrained model of the reference architecture, for speed and memory measurements.
        guard let path = arguments.dropFirst().first else { fail("random-model needs an output path") }
        try AcousticModel(config: AcousticModelConfig(), seed: 1).write(to: path)
    default:
        fail(
            "usage: earshot-bench features (FILE | --synthetic SECONDS) [--repeats N] [--dump OUT.npy]\n"
                + "       earshot-bench (train-step | inference | ctc) [--batch B] [--steps T] [--threads N] [--repeats N]"
        )
    }
} catch {
    fail("\(error)")
}
