/// Mono audio in memory: `Float` samples, nominally in [-1, 1], at `sampleRate`.
public struct AudioBuffer: Sendable, Equatable {
    /// Mono samples, one per frame; full scale is ±1.
    public var samples: [Float]
    /// Samples per second (Hz).
    public var sampleRate: Int

    public init(samples: [Float], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// Length in seconds: `samples.count / sampleRate`.
    public var duration: Double {
        sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0
    }
}
