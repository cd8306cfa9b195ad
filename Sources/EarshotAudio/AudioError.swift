/// Why an audio file or stream could not be decoded, written or resampled.
///
/// `description` is one human line, `"<path>: <cause>"`, fit to print as is: every message names the file
/// (or the stream, e.g. `<stdin>`) and the cause in plain words.
public struct AudioError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file path, or a stream's name such as `<stdin>`.
    public var path: String
    /// What went wrong.
    public var reason: Reason

    public enum Reason: Equatable, Sendable {
        /// Nothing exists at the path.
        case notFound
        /// The path names a directory.
        case isDirectory
        /// The file exists but holds 0 bytes.
        case empty
        /// libsndfile could not open it; the payload is libsndfile's own words (e.g. "Format not recognised.").
        case unreadable(String)
        /// The header promises more frames than the file holds (a cut-off download or copy).
        /// Frames are per-channel sample instants.
        case truncated(expectedFrames: Int, actualFrames: Int)
        /// A valid file with 0 frames.
        case noSamples
        /// A sample rate (Hz) outside `AudioFile.supportedSampleRates`.
        case unsupportedRate(Int)
        /// A NaN or infinite sample at this frame index (0-based, in the mono signal).
        case nonFiniteSample(index: Int)
        /// A read, write or rename failed; the payload is the system's or libsndfile's words.
        case ioError(String)
        /// A pipe (a stream, a named pipe) holds audio of an encoding libsndfile decodes past the end of a pipe
        /// (`SoundFileFormat.canBeReadFromPipe`: ADPCM, GSM 6.10, G.72x, …); the payload names the format.
        case notReadableFromPipe(format: String)
        /// A WAV file's `data` chunk declares more bytes than the file holds, in an encoding whose frames have
        /// no fixed size (ADPCM, GSM 6.10, …), so the shortfall is told in bytes.
        case truncatedData(declaredBytes: Int, actualBytes: Int)
        /// A WAV stream's header, read before its first sample, cannot be: the stream ends inside it, or a
        /// chunk before the samples is too large to read ahead; the payload says where.
        case streamHeader(String)
    }

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// `"<path>: <cause>"`, one line.
    public var description: String { "\(path): \(cause)" }

    /// The cause alone, in plain words, without the path.
    public var cause: String {
        switch reason {
        case .notFound:
            return "no such file"
        case .isDirectory:
            return "is a directory, not an audio file"
        case .empty:
            return "file is empty (0 bytes)"
        case .unreadable(let why):
            return "not an audio file libsndfile can read (\(why))"
        case .truncated(let expected, let actual):
            return "file is truncated: its header promises \(expected) frames but it holds only \(actual)"
        case .truncatedData(let declared, let actual):
            return "file is truncated: its data chunk declares \(declared) bytes but the file holds only \(actual)"
        case .notReadableFromPipe(let format):
            return
                "\(format) audio cannot be read from a pipe (libsndfile decodes it past the end of the data): read it "
                + "from a regular file, or send PCM, float, µ-law or A-law"
        case .noSamples:
            return "contains no audio samples (0 frames)"
        case .unsupportedRate(let rate):
            let range = AudioFile.supportedSampleRates
            return "unsupported sample rate \(rate) Hz (supported: \(range.lowerBound)…\(range.upperBound) Hz)"
        case .nonFiniteSample(let index):
            return "sample \(index) is not a finite number (NaN or infinity)"
        case .ioError(let why):
            return "I/O error: \(why)"
        case .streamHeader(let why):
            return why
        }
    }
}
