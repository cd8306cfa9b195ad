import Foundation

/// Kaldi's triangular mel filterbank (`MelBanks` in `src/feat/mel-computations.cc`), stored sparsely:
/// each filter is the run of FFT bins where it is non-zero and their weights.
///
/// The mel scale is `mel(f) = 1127 ln(1 + f / 700)`, computed in single precision like Kaldi. Filter
/// `b` rises from `mel_low + b·Δ` to its peak at `mel_low + (b+1)·Δ` and falls to `mel_low + (b+2)·Δ`,
/// with `Δ = (mel_high − mel_low) / (bins + 1)`. FFT bin `i` (of `paddedWindowSize / 2`, so the Nyquist
/// bin is never used, as in Kaldi) sits at `i · sampleRate / paddedWindowSize` Hz.
///
/// The per-frame `apply` reads the filters through raw pointers, so it neither retains nor
/// bounds-checks inside the frame loop.
public final class MelBank: @unchecked Sendable {
    /// Index of the first FFT bin of each filter.
    public let firstBin: [Int]
    /// Offsets into `weights` where each filter's run starts; `binCount + 1` entries.
    public let weightOffsets: [Int]
    /// All filters' non-zero weights, concatenated.
    public let weights: [Float]
    /// Number of filters.
    public let binCount: Int
    private let firstBinStorage: UnsafeMutablePointer<Int>
    private let offsetStorage: UnsafeMutablePointer<Int>
    private let weightStorage: UnsafeMutablePointer<Float>

    @inline(__always) static func melScale(_ frequency: Float) -> Float {
        1127 * logf(1 + frequency / 700)
    }

    public init(options: MelBankOptions, sampleRate: Double, paddedWindowSize: Int) {
        let fftBinCount = paddedWindowSize / 2
        let fftBinWidth = Float(sampleRate) / Float(paddedWindowSize)
        let melLow = Self.melScale(Float(options.lowFrequency))
        let melHigh = Self.melScale(Float(options.resolvedHighFrequency(sampleRate: sampleRate)))
        let melDelta = (melHigh - melLow) / Float(options.binCount + 1)
        let binMels = (0..<fftBinCount).map { Self.melScale(fftBinWidth * Float($0)) }

        var firstBin: [Int] = [], offsets = [0], weights: [Float] = []
        for bin in 0..<options.binCount {
            let left = melLow + Float(bin) * melDelta
            let center = melLow + Float(bin + 1) * melDelta
            let right = melLow + Float(bin + 2) * melDelta
            var first = -1
            for (i, mel) in binMels.enumerated() where mel > left && mel < right {
                if first < 0 { first = i }
                // Kaldi keeps the zeros between the first and the last non-zero bin; there are none
                // for a triangle, so the run is contiguous.
                weights.append(mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center))
            }
            firstBin.append(max(first, 0))
            offsets.append(weights.count)
        }
        self.firstBin = firstBin
        self.weightOffsets = offsets
        self.weights = weights
        binCount = firstBin.count
        firstBinStorage = .allocate(capacity: firstBin.count)
        firstBinStorage.initialize(from: firstBin, count: firstBin.count)
        // For `apply`, each filter's run is padded with zeros to a whole number of 8-wide vectors.
        var padded: [Float] = [], paddedOffsets = [0]
        for b in 0..<firstBin.count {
            padded += weights[offsets[b]..<offsets[b + 1]]
            padded += repeatElement(0, count: (8 - padded.count % 8) % 8)
            paddedOffsets.append(padded.count)
        }
        offsetStorage = .allocate(capacity: paddedOffsets.count)
        offsetStorage.initialize(from: paddedOffsets, count: paddedOffsets.count)
        weightStorage = .allocate(capacity: max(padded.count, 1))
        weightStorage.initialize(from: padded, count: padded.count)
    }

    /// Spectrum values `apply` may read: `paddedWindowSize / 2 + 1`, plus up to 7 beyond the last
    /// filter's run, which meet zero weights. Callers allocate at least this many and keep the extra zero.
    public static func spectrumCapacity(paddedWindowSize: Int) -> Int { paddedWindowSize / 2 + 1 + 8 }

    deinit {
        firstBinStorage.deallocate()
        offsetStorage.deallocate()
        weightStorage.deallocate()
    }

    /// `output[b] = Σ_i weight[b][i] · spectrum[firstBin[b] + i]` for every filter `b`, eight products
    /// at a time.
    /// - Parameters:
    ///   - spectrum: power (or magnitude) spectrum, `spectrumCapacity(paddedWindowSize:)` values of
    ///     which those past `paddedWindowSize / 2` must be finite (they meet zero weights).
    ///   - output: `binCount` values.
    @inline(__always)
    public func apply(spectrum: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let weights = UnsafeRawPointer(weightStorage)
        for b in 0..<binCount {
            let s = UnsafeRawPointer(spectrum + firstBinStorage[b])
            var sum = SIMD8<Float>()
            var i = offsetStorage[b], j = 0
            let end = offsetStorage[b + 1]
            while i < end {
                sum +=
                    weights.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                    * s.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
                i += 8
                j += 8
            }
            output[b] = sum.sum()
        }
    }

    /// The filterbank as a dense `(binCount, paddedWindowSize / 2)` row-major matrix, the naive twin
    /// used by tests.
    public func denseMatrix(fftBinCount: Int) -> [Float] {
        var dense = [Float](repeating: 0, count: binCount * fftBinCount)
        for b in 0..<binCount {
            for i in weightOffsets[b]..<weightOffsets[b + 1] {
                dense[b * fftBinCount + firstBin[b] + i - weightOffsets[b]] = weights[i]
            }
        }
        return dense
    }
}
