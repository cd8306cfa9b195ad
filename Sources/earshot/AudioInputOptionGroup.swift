import ArgumentParser
import EarshotAudio

extension RawSampleEncoding: ExpressibleByArgument {}

/// How to read audio from standard input (`-` as the file name).
struct AudioInputOptionGroup: ParsableArguments {
    @Flag(
        name: .customLong("raw"),
        help: "Standard input is headerless PCM (see --rate, --encoding, --channels), not a WAV stream.")
    var raw = false

    @Option(name: .customLong("rate"), help: "Sample rate of raw input, in Hz.")
    var rate: Int = 16000

    @Option(
        name: .customLong("encoding"),
        help: "Sample encoding of raw input (little-endian 16-bit integers or 32-bit floats).")
    var encoding: RawSampleEncoding = .s16le

    @Option(name: .customLong("channels"), help: "Interleaved channels of raw input (mixed down to mono).")
    var channels: Int = 1

    /// The stream format of standard input.
    var streamFormat: StreamFormat {
        raw ? .raw(sampleRate: rate, encoding: encoding, channels: channels) : .wav
    }

    func validate() throws {
        guard AudioFile.supportedSampleRates.contains(rate) else {
            throw ValidationError("--rate must be in \(AudioFile.supportedSampleRates), got \(rate)")
        }
        guard (1...64).contains(channels) else { throw ValidationError("--channels must be 1…64, got \(channels)") }
    }
}
