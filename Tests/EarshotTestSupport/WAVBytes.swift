import Foundation

/// The bytes of a canonical RIFF/WAVE file, built by hand so tests can make files that no well-behaved
/// writer would (odd rates, NaN samples, truncation), independent of the code under test.
public enum WAVBytes {
    /// 16-bit PCM from samples in [−1, 1] (clipped, rounded).
    public static func pcm16(_ samples: [Float], sampleRate: Int, channels: Int = 1) -> Data {
        var payload = Data(capacity: samples.count * 2)
        for s in samples {
            let v = Int16(max(-32768, min(32767, (s * 32768).rounded())))
            withUnsafeBytes(of: v.littleEndian) { payload.append(contentsOf: $0) }
        }
        return wav(format: 1, bitsPerSample: 16, sampleRate: sampleRate, channels: channels, payload: payload)
    }

    /// 32-bit IEEE float samples, any values (NaN and infinities included).
    public static func float32(_ samples: [Float], sampleRate: Int, channels: Int = 1) -> Data {
        var payload = Data(capacity: samples.count * 4)
        for s in samples { withUnsafeBytes(of: s.bitPattern.littleEndian) { payload.append(contentsOf: $0) } }
        return wav(format: 3, bitsPerSample: 32, sampleRate: sampleRate, channels: channels, payload: payload)
    }

    private static func wav(format: UInt16, bitsPerSample: UInt16, sampleRate: Int, channels: Int, payload: Data)
        -> Data
    {
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        let blockAlign = UInt16(channels) * bitsPerSample / 8
        data.append(contentsOf: Array("RIFF".utf8))
        append(UInt32(36 + payload.count))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16))
        append(format)
        append(UInt16(channels))
        append(UInt32(sampleRate))
        append(UInt32(sampleRate) * UInt32(blockAlign))
        append(blockAlign)
        append(bitsPerSample)
        data.append(contentsOf: Array("data".utf8))
        append(UInt32(payload.count))
        data.append(payload)
        return data
    }
}
