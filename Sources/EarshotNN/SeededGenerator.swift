/// A small, fast, seedable random number generator (SplitMix64), for weight initialisation, dropout,
/// shuffling and augmentation. Its whole state is one `UInt64`, so a training checkpoint can store it
/// and a resumed run draws exactly the numbers an uninterrupted run would.
public struct SeededGenerator: RandomNumberGenerator, Codable, Sendable, Equatable {
    /// The full state; save and restore it to continue a sequence exactly.
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A generator for an independent stream, derived from this one's state and `stream` without
    /// advancing it (e.g. one per thread, or per epoch).
    public func split(_ stream: UInt64) -> SeededGenerator {
        var derived = SeededGenerator(seed: state ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = derived.next()
        return derived
    }
}
