import Earshot
import Foundation
import Testing

/// The shipped model with int8 LSTM weights (`--precision int8`) against float32 on the sample clips in
/// Audio/: the greedy transcripts are equal and the posteriors agree closely.
@Suite struct Int8AgreementTests {
    /// Per clip: greedy transcripts equal; every frame's most likely label equal where float32 is sure of
    /// it (probability ≥ 0.9); and `|log p_int8 − log p_f32| ≤ 0.5` wherever `p_f32 ≥ 0.01` (measured on
    /// these clips: at most 0.24; log-probabilities of unlikely labels move more and matter little).
    @Test func int8PosteriorsAgreeWithFloat32OnTheSampleClips() throws {
        let float32 = try AcousticModel.load(
            path: SpeechRecognizerTests.repository.appendingPathComponent("Models/earshot-en.safetensors").path)
        let int8 = float32.withWeightPrecision(.int8)
        #expect(float32.weightPrecision == .f32 && int8.weightPrecision == .int8)
        let stage = try float32.inputStage()
        let greedy = GreedyDecoder(alphabet: float32.config.alphabet)
        let v = float32.config.outputSize
        for clip in SpeechRecognizerTests.clips {
            let samples = try AudioFile.read(path: clip, sampleRate: Int(float32.config.features.frame.sampleRate))
                .samples
            let input = try stage.modelInput(samples: samples)
            let a = float32.logProbabilities(input), b = int8.logProbabilities(input)
            let t = a.frameCount
            #expect(
                greedy.decode(a.values, frameCount: t, vocabularySize: v).text
                    == greedy.decode(b.values, frameCount: t, vocabularySize: v).text, "\(clip)")
            var worst: Float = 0
            var sureFramesDiffering = 0
            for frame in 0..<t {
                let rowA = a.values[(frame * v)..<((frame + 1) * v)], rowB = b.values[(frame * v)..<((frame + 1) * v)]
                for (x, y) in zip(rowA, rowB) where x >= log(0.01) { worst = max(worst, abs(x - y)) }
                let bestA = rowA.indices.max { rowA[$0] < rowA[$1] }!, bestB = rowB.indices.max { rowB[$0] < rowB[$1] }!
                if rowA[bestA] >= log(0.9) && bestA - rowA.startIndex != bestB - rowB.startIndex {
                    sureFramesDiffering += 1
                }
            }
            #expect(worst <= 0.5, "\(clip): max |Δ log p| = \(worst)")
            #expect(sureFramesDiffering == 0, "\(clip)")
        }
    }
}
