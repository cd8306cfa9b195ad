/// Mixing interleaved multichannel frames down to mono, and checking samples are finite.
enum ChannelMixdown {
    /// Appends `frames` mono samples to `output`, each the mean of one frame's channels:
    /// `mono[t] = (1/C) Σ_c interleaved[t·C + c]`, C = `channels`. `interleaved` holds `frames · C` floats.
    static func append(
        interleaved: UnsafePointer<Float>, frames: Int, channels: Int, to output: inout [Float]
    ) {
        guard frames > 0 else { return }
        if channels == 1 {
            output.append(contentsOf: UnsafeBufferPointer(start: interleaved, count: frames))
            return
        }
        let scale = 1 / Float(channels)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: frames))
        output.withUnsafeMutableBufferPointer { out in
            for t in 0..<frames {
                let frame = interleaved + t * channels
                var sum: Float = 0
                for c in 0..<channels { sum += frame[c] }
                out[start + t] = sum * scale
            }
        }
    }

    /// Index of the first NaN or infinite sample in `samples`, or `nil` if all are finite.
    static func firstNonFinite(_ samples: UnsafeBufferPointer<Float>) -> Int? {
        for (index, sample) in samples.enumerated() where !sample.isFinite { return index }
        return nil
    }
}
