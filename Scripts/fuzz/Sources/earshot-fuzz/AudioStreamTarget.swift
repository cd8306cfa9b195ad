import CFuzzSupport
import EarshotAudio

#if canImport(Glibc)
    import Glibc
#endif

/// `AudioStreamReader` reading a pipe, as `earshot stream` reads stdin. Input layout: byte 0 picks the
/// format (`streamFormat(selector:)`), byte 1 the block size (1 + 4 × byte frames), the rest is the stream,
/// written whole into the pipe before reading (and cut to the pipe's capacity).
///
/// Checks: reading ends (no hang) with samples or an `AudioError`; every block but the last is full and none
/// is larger; every sample is finite (s16le ones in [-1, 1)); a raw stream's frames and dropped bytes add up
/// to its length.
///
/// WAV streams that do not start with a RIFF-family id (`riffIDs`) are skipped: libsndfile (1.2.0) probes them as
/// MPEG audio, a probe that reads before its own buffer on a pipe (a defect of libsndfile this target found,
/// FUZZING.md), kept out of the way of our own code. RIFF, RIFX and RF64 streams cut anywhere are fuzzed: their
/// head is read by `WAVStreamHead` before libsndfile sees it, and a stream cut inside it is an error.
enum AudioStreamTarget {
    /// Raw sample rates to pick from, in Hz: common ones and, last, one outside `supportedSampleRates`.
    static let rawRates = [16_000, 8_000, 44_100, 1_000, 384_000, 999]
    /// The first four bytes of the WAV containers libsndfile reads: RIFF, big-endian RIFX, and RF64.
    static let riffIDs = ["RIFF", "RIFX", "RF64"].map { Array($0.utf8) }

    static func run(_ input: [UInt8]) {
        guard input.count >= 2 else { return }
        let (format, rawEncoding) = streamFormat(selector: input[0])
        let blockFrames = 1 + 4 * Int(input[1])
        if rawEncoding == nil {
            let wav = input.dropFirst(2)
            guard riffIDs.contains(where: { wav.starts(with: $0) }) else { return }
        }
        var ends: [Int32] = [0, 0]
        require(pipe(&ends) == 0, "pipe failed")
        defer { _ = close(ends[0]) }
        let capacity = Int(fuzz_set_pipe_capacity(ends[1], 1 << 20))
        let stream = Array(input[2..<min(input.count, 2 + max(capacity, 65_536))])
        writeAll(stream, to: ends[1])
        _ = close(ends[1])

        let reader: AudioStreamReader
        do {
            reader = try AudioStreamReader(fileDescriptor: ends[0], format: format, name: "<fuzz>")
        } catch {
            return
        }
        var frames = 0
        var sawShortBlock = false
        do {
            while let block = try reader.read(maxFrames: blockFrames) {
                require(!sawShortBlock, "a block after a short one")
                require(!block.isEmpty && block.count <= blockFrames, "block of \(block.count) for \(blockFrames)")
                sawShortBlock = block.count < blockFrames
                for sample in block {
                    require(sample.isFinite, "non-finite sample \(sample) returned")
                    if rawEncoding == .s16le { require(sample >= -1 && sample < 1, "s16le sample \(sample)") }
                }
                frames += block.count
            }
        } catch {
            return
        }
        require(reader.framesRead == frames, "framesRead \(reader.framesRead), returned \(frames)")
        if let rawEncoding {
            let frameBytes = reader.channels * rawEncoding.bytesPerSample
            require(
                frames * frameBytes + reader.droppedTrailingBytes == stream.count
                    && reader.droppedTrailingBytes < frameBytes,
                "\(frames) frames of \(frameBytes) bytes + \(reader.droppedTrailingBytes) dropped ≠ \(stream.count)")
        }
    }

    /// Byte 0: value % 3 is WAV, raw s16le or raw f32le; for raw, (value / 3) % 3 + 1 channels and
    /// `rawRates[(value / 9) % rawRates.count]` Hz. The raw encoding is nil for WAV.
    static func streamFormat(selector: UInt8) -> (StreamFormat, RawSampleEncoding?) {
        let value = Int(selector)
        let encoding: RawSampleEncoding
        switch value % 3 {
        case 0: return (.wav, nil)
        case 1: encoding = .s16le
        default: encoding = .f32le
        }
        let channels = (value / 3) % 3 + 1
        let rate = rawRates[(value / 9) % rawRates.count]
        return (.raw(sampleRate: rate, encoding: encoding, channels: channels), encoding)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            require(wrote > 0, "writing the pipe failed: \(String(cString: strerror(errno)))")
            done += wrote
        }
    }
}
