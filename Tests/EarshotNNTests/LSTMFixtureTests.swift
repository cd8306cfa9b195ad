import Foundation
import Testing

@testable import EarshotNN

/// A PyTorch reference case from `Scripts/fixtures/make_lstm_fixtures.py` (see Fixtures/README.md):
/// the tensors of one safetensors file, read by a reader of its own so that these tests depend on
/// nothing else in the package.
struct LSTMFixture {
    let tensors: [String: (shape: [Int], values: [Float])]
    let metadata: [String: String]

    /// Loads `Fixtures/<name>.safetensors` from the test bundle.
    init(named name: String) throws {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FixtureError("no Fixtures folder in the test bundle")
        }
        let data = try Data(contentsOf: folder.appendingPathComponent(name + ".safetensors"))
        guard data.count >= 8 else { throw FixtureError("\(name): shorter than a header") }
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard 8 + headerLength <= data.count,
            let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength)))
                as? [String: Any]
        else { throw FixtureError("\(name): bad header") }
        let payload = data.subdata(in: (8 + headerLength)..<data.count)
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        var metadata: [String: String] = [:]
        for (key, value) in header {
            if key == "__metadata__" {
                metadata = value as? [String: String] ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], entry["dtype"] as? String == "F32",
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                offsets[1] - offsets[0] == 4 * shape.reduce(1, *), offsets[1] <= payload.count
            else { throw FixtureError("\(name): bad entry \(key)") }
            let values = payload.subdata(in: offsets[0]..<offsets[1]).withUnsafeBytes { raw in
                (0..<(raw.count / 4)).map {
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
                }
            }
            tensors[key] = (shape, values)
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    func values(_ name: String) -> [Float] {
        guard let tensor = tensors[name] else { preconditionFailure("fixture has no tensor \(name)") }
        return tensor.values
    }

    func integer(_ key: String) -> Int { Int(metadata[key] ?? "") ?? -1 }

    var lengths: [Int] { (metadata["lengths"] ?? "").split(separator: ",").compactMap { Int($0) } }
    var shape: SequenceBatchShape { SequenceBatchShape(timeSteps: integer("T"), lengths: lengths) }

    /// Every parameter (name without the `grad.` prefix) as a `Parameter` with its shape.
    var parameters: [String: Parameter] {
        var result: [String: Parameter] = [:]
        for (name, tensor) in tensors where name.hasPrefix("lstm.") || name.hasPrefix("output.") {
            result[name] = Parameter(name: name, shape: tensor.shape, value: tensor.values)
        }
        return result
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Fails unless two arrays have the same length and differ by at most `tolerance`; the message gives
/// the largest difference, where, and the first values, as llm.c's tests print them.
func expectClose(
    _ actual: [Float], _ expected: [Float], tolerance: Float, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(label): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var worst: Float = 0
    var at = 0
    for i in actual.indices {
        let d = abs(actual[i] - expected[i])
        if !(d <= worst) {
            worst = d
            at = i
        }
    }
    let relative = worst / max(largestMagnitude(expected), .leastNormalMagnitude)
    let (got, want) = (actual.isEmpty ? 0 : actual[at], expected.isEmpty ? 0 : expected[at])
    #expect(
        worst <= tolerance,
        """
        \(label): max |diff| \(worst) > \(tolerance) at \(at), \(relative) of the largest |expected| \
        (got \(got), expected \(want)); first got \(Array(actual.prefix(4))), expected \(Array(expected.prefix(4)))
        """,
        sourceLocation: sourceLocation)
}

/// Sets OpenBLAS to one thread unless it is there already.
///
/// Why tests care: the thread count is process-wide, tests run in parallel, and OpenBLAS's threaded
/// GEMMs sum in another order than its single-threaded ones (with 2 threads the weight gradients of a
/// reference-size batch differ by ~2e-6; outputs and input gradients did not). Every suite of these
/// layers pins the count to 1 in its `init`, so two runs compared bit for bit see the same count, and
/// the concurrent schedule, which switches OpenBLAS to 1 thread only when it is not 1 already, has
/// nothing to switch under a neighbouring test.
func pinOpenBLASToOneThread() {
    if BLASRuntime.threads != 1 { BLASRuntime.threads = 1 }
}

/// The largest absolute value (the scale that gradient tolerances are relative to).
func largestMagnitude(_ values: [Float]) -> Float { values.reduce(0) { max($0, abs($1)) } }

@Suite struct LSTMFixtureTests {
    init() { pinOpenBLASToOneThread() }

    /// The fixtures are what the README says: every tensor present with the documented shape, and
    /// the upstream gradient zero on padded frames.
    @Test(arguments: ["lstm_small", "lstm_large", "gru_small", "gru_large"])
    func fixtureIsComplete(_ name: String) throws {
        let fixture = try LSTMFixture(named: name)
        let G = try #require(RecurrentCell(rawValue: fixture.metadata["cell"] ?? "lstm")).gateCount
        let (T, B, I, H, V, N) = (
            fixture.integer("T"), fixture.integer("B"), fixture.integer("I"), fixture.integer("H"),
            fixture.integer("V"), fixture.integer("layers")
        )
        #expect(fixture.lengths.count == B)
        #expect(fixture.tensors["input"]?.shape == [T, B, I])
        #expect(fixture.tensors["logprobs"]?.shape == [T, B, V])
        #expect(fixture.tensors["lstm_output"]?.shape == [T, B, 2 * H])
        #expect(fixture.tensors["output.weight"]?.shape == [V, 2 * H])
        for k in 0..<N {
            for suffix in ["", "_reverse"] {
                #expect(fixture.tensors["lstm.weight_ih_l\(k)\(suffix)"]?.shape == [G * H, k == 0 ? I : 2 * H])
                #expect(fixture.tensors["grad.lstm.weight_hh_l\(k)\(suffix)"]?.shape == [G * H, H])
            }
        }
        let upstream = fixture.values("upstream")
        for t in 0..<T {
            for b in 0..<B where t >= fixture.lengths[b] {
                #expect(upstream[((t * B + b) * V)..<((t * B + b + 1) * V)].allSatisfy { $0 == 0 })
            }
        }
    }
}
