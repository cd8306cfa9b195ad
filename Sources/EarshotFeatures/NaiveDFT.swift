import Foundation

/// The power spectrum by a direct O(N²) DFT in double precision: the slow twin of `RealFFT`, kept to
/// test it against. `power[k] = |Σ_n x[n] e^{−2πi kn/N}|²` for `k = 0 … N/2`.
public func naivePowerSpectrum(_ signal: [Float]) -> [Float] {
    let n = signal.count
    return (0...n / 2).map { k in
        var re = 0.0, im = 0.0
        for (t, x) in signal.enumerated() {
            // Reduce k·t mod N first so the angle stays small and exact.
            let angle = -2 * Double.pi * Double((k * t) % n) / Double(n)
            re += Double(x) * cos(angle)
            im += Double(x) * sin(angle)
        }
        return Float(re * re + im * im)
    }
}

/// The power spectrum of `signal` (any length) through the FFTW path the extractor uses.
public func fftPowerSpectrum(_ signal: [Float]) -> [Float] {
    let fft = RealFFT.shared(size: signal.count)
    let workspace = FFTWorkspace(size: signal.count)
    for i in 0..<signal.count { workspace.input[i] = Double(signal[i]) }
    fft.execute(workspace)
    var power = [Float](repeating: 0, count: signal.count / 2 + 1)
    power.withUnsafeMutableBufferPointer { workspace.powerSpectrum(into: $0.baseAddress!) }
    return power
}
