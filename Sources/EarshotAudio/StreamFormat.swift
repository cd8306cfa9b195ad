/// How a headerless (raw) PCM stream stores each sample.
public enum RawSampleEncoding: String, Sendable, CaseIterable, Codable {
    /// Signed 16-bit integers, little-endian; decoded as value / 32768, so in [-1, 1).
    case s16le
    /// IEEE 754 32-bit floats, little-endian; passed through (NaN or infinity is an error).
    case f32le

    /// Bytes per sample of one channel.
    public var bytesPerSample: Int {
        switch self {
        case .s16le: 2
        case .f32le: 4
        }
    }
}

/// What arrives on a file descriptor read by `AudioStreamReader`.
public enum StreamFormat: Sendable, Equatable {
    /// A WAV file (or anything else libsndfile recognises from its header) streamed front to back; the header
    /// gives rate, channels and encoding. Its length fields are ignored: reading stops at end of stream.
    case wav
    /// Headerless interleaved PCM: `sampleRate` in Hz, `channels` interleaved per frame.
    case raw(sampleRate: Int, encoding: RawSampleEncoding, channels: Int)

    /// The first 4 bytes of the WAV containers whose head `.wav` reads itself: RIFF, RIFX (big-endian) and RF64.
    public static let wavContainerIDs = WAVStreamHead.Container.allCases.map(\.rawValue)
}
