import Earshot
import EarshotAudio
import EarshotDecoding
import EarshotFeatures
import EarshotNN
import EarshotTestSupport
import XCTest

/// The tiny model of the CLI tests and the six clips it knows, found from this file's path.
enum TinyModel {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let path = root.appendingPathComponent("EarshotCLITests/Fixtures/tiny-model.safetensors").path
    static let clips = root.appendingPathComponent("EarshotTrainingTests/Fixtures/clips")
    static let transcripts = [
        "yes": "yes", "no": "no", "hello_world": "hello world", "go_left": "go left",
        "stop_now": "stop now", "open_the_door": "open the door",
    ]
    static let model = try! AcousticModel.load(path: path)

    static func samples(_ name: String) throws -> [Float] {
        try AudioFile.read(
            path: clips.appendingPathComponent("\(name).wav").path,
            sampleRate: Int(model.config.features.frame.sampleRate)
        ).samples
    }

    static func input(_ name: String) throws -> FeatureMatrix {
        try model.inputStage().modelInput(samples: samples(name))
    }

    static func greedyText(_ scores: FeatureMatrix) -> String {
        let decoded = GreedyDecoder(alphabet: model.config.alphabet)
            .decode(scores.values, frameCount: scores.frameCount, vocabularySize: scores.dimension)
        return decoded.text.split(separator: " ").joined(separator: " ")
    }
}

final class LatencyControlledEncoderTests: XCTestCase {
    /// One chunk covering the whole input (no look-ahead left over) is the whole-utterance BiLSTM: the
    /// same LSTM calls on the same rows. Not bit for bit: the whole-utterance pass runs the two
    /// directions concurrently with OpenBLAS at one thread, this one sequentially with OpenBLAS's own
    /// thread count, and the kernels sum in different orders. Observed max |diff| 3.8e-6 on
    /// log-probabilities down to −17 (a few float ulps there, ulp(16) = 1.9e-6); tolerance 1e-5.
    func testOneChunkEqualsTheWholeUtterance() throws {
        let model = TinyModel.model
        for name in TinyModel.transcripts.keys.sorted() {
            let input = try TinyModel.input(name)
            let whole = model.logProbabilities(input)
            let control = LatencyControl(chunkSteps: input.frameCount + 3, lookaheadSteps: 10)
            let chunked = LatencyControlledEncoder(model: model, control: control).logProbabilities(input)
            XCTAssertEqual(chunked.frameCount, whole.frameCount, name)
            assertClose(chunked.values, whole.values, tolerance: 1e-5, name)
        }
    }

    /// Any chunking returns one row per input step, however the steps are fed.
    func testEveryStepIsReturnedOnceWhateverTheFeeding() throws {
        let model = TinyModel.model
        let input = try TinyModel.input("open_the_door")
        let control = LatencyControl(chunkSteps: 7, lookaheadSteps: 3)
        let reference = LatencyControlledEncoder(model: model, control: control).logProbabilities(input)
        XCTAssertEqual(reference.frameCount, input.frameCount)
        let encoder = LatencyControlledEncoder(model: model, control: control)
        var fed = FeatureMatrix(frameCount: 0, dimension: model.config.outputSize, values: [])
        var t = 0, piece = 1
        while t < input.frameCount {
            let end = min(t + piece, input.frameCount)
            let values = Array(input.values[(t * input.dimension)..<(end * input.dimension)])
            fed.append(encoder.accept(FeatureMatrix(frameCount: end - t, dimension: input.dimension, values: values)))
            XCTAssertLessThan(encoder.pendingSteps, control.windowSteps)
            t = end
            piece = piece % 5 + 1
        }
        fed.append(encoder.finish())
        assertSameFeatures(fed, reference, "fed in pieces")
    }

    /// Small chunks limit only the reverse direction's future. Measured on the tiny model (2 layers of
    /// 48): the greedy transcripts of all six clips stay exact at Nc = 20, Nr = 10, the default, and at
    /// Nc = 10, Nr = 5; the largest log-probability difference is printed.
    func testSmallChunksKeepTheTranscripts() throws {
        let model = TinyModel.model
        for (nc, nr) in [(20, 10), (10, 5)] {
            var worst: Float = 0
            for (name, transcript) in TinyModel.transcripts.sorted(by: { $0.key < $1.key }) {
                let input = try TinyModel.input(name)
                let whole = model.logProbabilities(input)
                let chunked = LatencyControlledEncoder(
                    model: model, control: LatencyControl(chunkSteps: nc, lookaheadSteps: nr)
                ).logProbabilities(input)
                worst = max(worst, maxAbsoluteDifference(chunked.values, whole.values).value)
                XCTAssertEqual(TinyModel.greedyText(chunked), transcript, "\(name) at Nc \(nc), Nr \(nr)")
            }
            print("Nc \(nc), Nr \(nr): max |Δ log p| over the six clips \(worst)")
        }
    }
}
