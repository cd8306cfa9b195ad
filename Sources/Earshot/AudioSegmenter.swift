/// Cuts a long stream of samples into segments of at most `maximumSeconds`, each ending at the quietest
/// point of its last `searchSeconds`, so words are rarely cut and memory stays bounded: it holds at most
/// one window of samples, however long the stream.
///
/// Quietness is the energy of 10 ms frames averaged over `smoothingSeconds`: the quietest stretch of the
/// search window is found that way, and the cut lands on its quietest single frame. The search window
/// never reaches into the first half of the segment, so segments are at least half the maximum long.
/// Segment boundaries are kept in absolute sample positions, so timestamps stay absolute.
public struct AudioSegmenter: Sendable {
    /// Longest segment, in seconds. Default 30.
    public var maximumSeconds: Double = 30
    /// How far back from the window's end to look for a quiet point, in seconds. Default 5.
    public var searchSeconds: Double = 5
    /// Energy smoothing, in seconds. Default 0.2.
    public var smoothingSeconds: Double = 0.2
    public let sampleRate: Int

    /// Samples received but not yet emitted; begins at absolute sample `pendingStart`.
    private var pending: [Float] = []
    private var pendingStart = 0

    public init(sampleRate: Int, maximumSeconds: Double = 30) {
        self.sampleRate = sampleRate
        self.maximumSeconds = maximumSeconds
    }

    /// A segment: its samples and the absolute index of its first sample.
    public struct Segment: Sendable {
        public var samples: [Float]
        public var startSample: Int
    }

    /// Feeds samples; returns the segments completed by them (zero or more).
    public mutating func accept(_ samples: [Float]) -> [Segment] {
        pending += samples
        var segments: [Segment] = []
        let window = Int(maximumSeconds * Double(sampleRate))
        while pending.count > window {
            let cut = quietestPoint(limit: window)
            segments.append(Segment(samples: Array(pending[..<cut]), startSample: pendingStart))
            pending.removeFirst(cut)
            pendingStart += cut
        }
        return segments
    }

    /// Ends the stream: the last segment (nil if nothing is left).
    public mutating func finish() -> Segment? {
        defer {
            pendingStart += pending.count
            pending = []
        }
        return pending.isEmpty ? nil : Segment(samples: pending, startSample: pendingStart)
    }

    /// The sample index (in `pending`) of the quietest smoothed 10 ms frame in the last `searchSeconds`
    /// before `limit`.
    private func quietestPoint(limit: Int) -> Int {
        let frame = max(sampleRate / 100, 1)
        let searchStart = max(limit - Int(searchSeconds * Double(sampleRate)), limit / 2, frame)
        let frames = (limit - searchStart) / frame
        guard frames > 0 else { return limit }
        var energies = [Double](repeating: 0, count: frames)
        pending.withUnsafeBufferPointer { x in
            for f in 0..<frames {
                var sum = 0.0
                let base = searchStart + f * frame
                for i in base..<base + frame { sum += Double(x[i] * x[i]) }
                energies[f] = sum
            }
        }
        let half = max(Int(smoothingSeconds * 100) / 2, 0)
        var quietest = 0, quietestEnergy = Double.infinity
        for f in 0..<frames {
            var total = 0.0
            for g in max(0, f - half)...min(frames - 1, f + half) { total += energies[g] }
            if total < quietestEnergy {
                quietestEnergy = total
                quietest = f
            }
        }
        let around = max(0, quietest - half)...min(frames - 1, quietest + half)
        let best = around.min { energies[$0] < energies[$1] } ?? quietest
        return searchStart + best * frame + frame / 2
    }
}
