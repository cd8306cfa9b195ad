/// Inverted dropout: during training each value is zeroed with probability `p` and the survivors are
/// scaled by `1/(1 − p)`, so the expected value is unchanged and inference is the identity (no
/// rescaling at test time). The mask — 0 or `1/(1 − p)` per value — is saved for backward, which
/// multiplies the gradient by the same mask.
///
/// Randomness comes from a `SeededGenerator`, so a seed (and the generator's state in a checkpoint)
/// fixes every mask. Each 64-bit draw gives two 24-bit uniforms, one per value: a value survives when
/// its uniform `u ∈ [0, 1)` satisfies `u ≥ p`.
public enum Dropout {
    /// `output = input ⊙ mask` over `count` values, drawing a fresh `mask`; `output` may be `input`.
    /// With `probability == 0` the mask is all ones and `generator` is not advanced.
    public static func forward(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>,
        count: Int, probability: Float, generator: inout SeededGenerator
    ) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1), got \(probability)")
        guard probability > 0 else {
            mask.update(repeating: 1, count: count)
            output.update(from: input, count: count)
            return
        }
        let scale = 1 / (1 - probability)
        var k = 0
        while k < count {
            let bits = generator.next()
            for half in 0..<min(2, count - k) {
                let u = Float((bits >> (40 - 32 * UInt64(half))) & 0xFF_FFFF) * 0x1p-24
                let m: Float = u >= probability ? scale : 0
                mask[k] = m
                output[k] = input[k] * m
                k += 1
            }
        }
    }

    /// The same over a `(T, B, W)` buffer with one generator per column `b` (`generators`, B of them), so
    /// that a sequence's masks depend on its own generator only, not on the batch it is in: row `(t, b)`
    /// draws its W values from `generators[b]`, rows in time order.
    public static func forward(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>,
        steps: Int, width: Int, probability: Float, generators: inout [SeededGenerator]
    ) {
        let columns = generators.count
        for t in 0..<steps {
            for b in 0..<columns {
                let row = (t * columns + b) * width
                forward(
                    input: input + row, output: output + row, mask: mask + row, count: width, probability: probability,
                    generator: &generators[b])
            }
        }
    }

    /// `inputGradient = outputGradient ⊙ mask` over `count` values; the two may be the same buffer.
    public static func backward(
        outputGradient: UnsafePointer<Float>, mask: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>, count: Int
    ) {
        for k in 0..<count { inputGradient[k] = outputGradient[k] * mask[k] }
    }
}
