import Foundation

/// `count` samples of a·sin(2π f n / rate + phase): f in Hz, rate in Hz, phase in radians.
func sine(frequency: Double, rate: Int, count: Int, amplitude: Double = 0.5, phase: Double = 0) -> [Float] {
    (0..<count).map { n in
        Float(amplitude * sin(2 * Double.pi * frequency * Double(n) / Double(rate) + phase))
    }
}

/// Amplitude and phase (radians) of the component at `frequency` Hz in `samples[range]`, by projecting onto
/// sin and cos (a single-bin DFT, as Goertzel computes). Exact for a pure tone when `range` spans a whole
/// number of its periods, and then blind to any other tone that also fits whole periods.
func tone(in samples: [Float], frequency: Double, rate: Int, range: Range<Int>) -> (amplitude: Double, phase: Double) {
    var sinPart = 0.0
    var cosPart = 0.0
    for n in range {
        let angle = 2 * Double.pi * frequency * Double(n) / Double(rate)
        sinPart += Double(samples[n]) * sin(angle)
        cosPart += Double(samples[n]) * cos(angle)
    }
    sinPart *= 2 / Double(range.count)
    cosPart *= 2 / Double(range.count)
    return ((sinPart * sinPart + cosPart * cosPart).squareRoot(), atan2(cosPart, sinPart))
}

/// Root mean square of `samples[range]`.
func rms(_ samples: [Float], _ range: Range<Int>) -> Double {
    (range.reduce(0.0) { $0 + Double(samples[$1]) * Double(samples[$1]) } / Double(range.count)).squareRoot()
}

/// 20·log10(ratio): a ratio of amplitudes in decibels.
func decibels(_ ratio: Double) -> Double { 20 * log10(ratio) }

/// The little-endian bytes of `values`.
func littleEndianBytes(_ values: [Int16]) -> [UInt8] {
    values.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
}

/// The little-endian bytes of `values`.
func littleEndianBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in
        let bits = value.bitPattern
        return (0..<4).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
    }
}

/// A canonical 44-byte-header PCM 16-bit WAV file, written by hand so tests do not only check libsndfile
/// against itself. `declaredDataBytes` overrides the `data` chunk's size field (e.g. 0xFFFFFFFF, as tools
/// streaming to a pipe write, or a lie for a truncated file).
func wavFile(samples: [Int16], sampleRate: Int, channels: Int, declaredDataBytes: UInt32? = nil) -> [UInt8] {
    let data = littleEndianBytes(samples)
    func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    func u16(_ v: UInt16) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
    let dataSize = declaredDataBytes ?? UInt32(data.count)
    var bytes: [UInt8] = Array("RIFF".utf8) + u32(dataSize &+ 36) + Array("WAVE".utf8)
    bytes += Array("fmt ".utf8) + u32(16) + u16(1) + u16(UInt16(channels)) + u32(UInt32(sampleRate))
    bytes += u32(UInt32(sampleRate * channels * 2)) + u16(UInt16(channels * 2)) + u16(16)
    bytes += Array("data".utf8) + u32(dataSize) + data
    return bytes
}

/// Writes `bytes` to a new file at `path`.
func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
