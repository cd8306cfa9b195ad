import Foundation

/// Computes the filterbank features of one frame at a time: the per-frame stage shared by the offline
/// (`Fbank`) and streaming (`OnlineFbank`) extractors, so the two cannot disagree.
///
/// For each frame of `windowSize` samples (Kaldi's `ExtractWindow` + `ProcessWindow` +
/// `FbankComputer::Compute`):
/// 1. scale by `waveformScale`, add dither;
/// 2. subtract the frame's mean (`removeDCOffset`); raw log energy here if asked;
/// 3. pre-emphasis `y[i] = x[i] − k·x[i−1]`, `y[0] = x[0] − k·x[0]`, times the window, zero-padded to
///    `paddedWindowSize`; windowed log energy here if asked;
/// 4. real FFT (FFTW), power (or magnitude) spectrum, mel filterbank, `log(max(e, FLT_EPSILON))`.
///
/// Steps 1–4 up to the power spectrum run in double precision. Kaldi and its ports run them in float;
/// their FFT's rounding error, relative to the frame's total energy, reaches ~2e-3 in the log of the
/// lowest mel bins, where pre-emphasis leaves a billionth of the power. In double we stay within ~2e-4
/// of the exact values (Fixtures/README.md) for ~20% more time per frame.
///
/// Owns its workspaces: not for use from two threads at once; make one per thread.
final class FbankComputer {
    let options: FbankOptions
    let windowSize: Int
    let paddedSize: Int
    /// `windowSize` window coefficients.
    private let window: UnsafeMutablePointer<Double>
    private let melBank: MelBank
    private let fft: RealFFT
    private let workspace: FFTWorkspace
    /// `windowSize` samples after scaling, dither and DC removal.
    private let frame: UnsafeMutablePointer<Double>
    /// `paddedSize / 2 + 1` power-spectrum values, then zeros (see `MelBank.spectrumCapacity`).
    private let power: UnsafeMutablePointer<Float>
    /// `binCount` mel energies.
    private let mel: UnsafeMutablePointer<Float>
    private let logEnergyFloor: Float

    init(options: FbankOptions) {
        self.options = options
        windowSize = options.frame.windowSize
        paddedSize = options.frame.paddedWindowSize
        window = .allocate(capacity: windowSize)
        // Kaldi keeps its window in float; rounding ours the same way keeps us on its values.
        let coefficients = options.frame.windowType.coefficients(
            length: windowSize, blackmanCoefficient: options.frame.blackmanCoefficient)
        for i in 0..<windowSize { window[i] = Double(coefficients[i]) }
        melBank = MelBank(options: options.mel, sampleRate: options.frame.sampleRate, paddedWindowSize: paddedSize)
        fft = RealFFT.shared(size: paddedSize)
        workspace = FFTWorkspace(size: paddedSize)
        frame = .allocate(capacity: windowSize)
        let spectrumCapacity = MelBank.spectrumCapacity(paddedWindowSize: paddedSize)
        power = .allocate(capacity: spectrumCapacity)
        power.initialize(repeating: 0, count: spectrumCapacity)
        mel = .allocate(capacity: options.mel.binCount)
        logEnergyFloor = options.energyFloor > 0 ? logf(options.energyFloor) : -.infinity
    }

    deinit {
        window.deallocate()
        frame.deallocate()
        power.deallocate()
        mel.deallocate()
    }

    /// Computes frame number `index` from its `windowSize` samples into `output` (`options.dimension`
    /// values: log energy first when `useEnergy`, then the mel bins).
    func compute(samples: UnsafePointer<Float>, frameIndex index: Int, output: UnsafeMutablePointer<Float>) {
        let n = windowSize, opts = options.frame
        let scale = Double(options.waveformScale)
        for i in 0..<n { frame[i] = Double(samples[i]) * scale }
        if opts.dither != 0 {
            var noise = GaussianNoise(seed: opts.ditherSeed, frame: index)
            let dither = Double(opts.dither)
            for i in 0..<n { frame[i] += dither * Double(noise.gaussian()) }
        }
        let mean = opts.removeDCOffset ? vectorSum(frame, count: n) / Double(n) : 0
        var logEnergy: Float = 0
        if options.useEnergy && options.rawEnergy {
            for i in 0..<n { frame[i] -= mean }
            logEnergy = Self.logEnergy(frame, count: n)
            preemphasizeAndWindow(offset: 0)
        } else {
            // DC removal folded into pre-emphasis: (x[i] − m) − k(x[i−1] − m) = x[i] − k x[i−1] − (1 − k) m.
            preemphasizeAndWindow(offset: mean)
        }
        if options.useEnergy && !options.rawEnergy { logEnergy = Self.logEnergy(workspace.input, count: n) }

        fft.execute(workspace)
        workspace.powerSpectrum(into: power, magnitude: !options.usePower)
        melBank.apply(spectrum: power, output: mel)
        if options.useLogFbank {
            flooredLogInPlace(mel, count: options.mel.binCount, floor: .ulpOfOne)
        }
        var out = output
        if options.useEnergy {
            out[0] = max(logEnergy, logEnergyFloor)
            out += 1
        }
        out.update(from: mel, count: options.mel.binCount)
    }

    /// FFT input `y[i] = ((x[i] − m) − k (x[i−1] − m)) · w[i]`, `y[0] = (x[0] − m)(1 − k) · w[0]`, for
    /// `x = frame` and `m = offset`; the input's tail beyond the window stays zero.
    @inline(__always)
    private func preemphasizeAndWindow(offset m: Double) {
        let k = Double(options.frame.preemphasisCoefficient)
        let c = (1 - k) * m
        let input = workspace.input
        input[0] = (frame[0] - m) * (1 - k) * window[0]
        for i in 1..<windowSize { input[i] = (frame[i] - k * frame[i - 1] - c) * window[i] }
    }

    /// `log(max(Σ x², FLT_EPSILON))`.
    @inline(__always)
    private static func logEnergy(_ x: UnsafePointer<Double>, count: Int) -> Float {
        logf(max(Float(vectorSumOfSquares(x, count: count)), .ulpOfOne))
    }
}
