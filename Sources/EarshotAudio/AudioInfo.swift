/// What a file's header says, read without decoding the samples.
public struct AudioInfo: Sendable, Equatable {
    /// Samples per second per channel (Hz).
    public var sampleRate: Int
    /// Interleaved channels in the file (decoding mixes them down to mono).
    public var channels: Int
    /// Frames (sample instants, per channel), or `nil` when the container does not say (e.g. some OGG files).
    public var frames: Int?
    /// Container and encoding in words, e.g. `"WAV PCM 16-bit"`, `"FLAC 24-bit"`, `"OGG Vorbis"`.
    public var format: String

    public init(sampleRate: Int, channels: Int, frames: Int?, format: String) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.frames = frames
        self.format = format
    }

    /// Length in seconds (`frames / sampleRate`), or `nil` when `frames` is unknown.
    public var duration: Double? {
        guard let frames, sampleRate > 0 else { return nil }
        return Double(frames) / Double(sampleRate)
    }
}

extension AudioInfo {
    /// What the header of the open `file` says.
    init(header file: SndFileHandle) {
        self.init(
            sampleRate: file.sampleRate, channels: file.channels, frames: file.declaredFrames,
            format: file.format.description)
    }
}
