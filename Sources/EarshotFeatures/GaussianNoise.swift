import Foundation

/// Seeded Gaussian noise for dithering: SplitMix64 for uniforms, Box–Muller for normals (as Kaldi's
/// `RandGauss`). Each frame draws from its own stream, seeded by (seed, frame index), so the noise a
/// frame gets does not depend on how the signal was chunked or which thread computed it.
struct GaussianNoise {
    private var state: UInt64

    init(seed: UInt64, frame: Int) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: frame &+ 1)
    }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    private mutating func uniform() -> Double { (Double(next() >> 11) + 1) * 0x1p-53 }

    /// A standard normal sample.
    mutating func gaussian() -> Float {
        Float((-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()))
    }
}
