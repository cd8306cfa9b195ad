/// Mono audio read a block at a time, as a recognizer or a feature extractor consumes it: a file
/// (`AudioFileReader`) or a stream such as standard input (`AudioStreamReader`).
public protocol AudioBlockSource: AnyObject {
    /// Samples per second (Hz) of the samples `read` returns: the source's own rate.
    var sampleRate: Int { get }
    /// Mono samples returned so far.
    var framesRead: Int { get }
    /// The next `maxFrames` (> 0) mono samples, fewer only at the end; `nil` once the source has ended.
    func read(maxFrames: Int) throws(AudioError) -> [Float]?
}

extension AudioFileReader: AudioBlockSource {
    /// The file's sample rate, in Hz.
    public var sampleRate: Int { info.sampleRate }
}

extension AudioStreamReader: AudioBlockSource {}
