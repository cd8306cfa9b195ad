import Foundation

/// The coefficient table of a Kaiser-windowed-sinc low-pass filter, split into phases, for one rate pair.
///
/// Time is counted in input samples. With the rate ratio reduced to L/M (L = outputRate/g, M = inputRate/g,
/// g = gcd), output sample n sits at t = n·M/L. Writing t = i + φ (i integer, 0 ≤ φ < 1):
///
///     y[n] = Σₖ row_φ[k] · x[i − H + 1 + k],  k = 0..<K,  K = 2H taps,
///     row_φ[k] = h(φ + H − 1 − k),  h(τ) = 2fc · sinc(2fc·τ) · w(τ / H),
///
/// with sinc(u) = sin(πu)/(πu), fc the cutoff in cycles per input sample and w the Kaiser window over [−H, H].
/// Each row is scaled to sum to 1, so every phase passes DC with gain exactly 1.
///
/// Exact table (L ≤ `maxPhaseCount`): L rows, φ = p/L; every output uses one row as is.
/// Interpolated table: P + 1 rows, φ = p/P with P = `maxPhaseCount`; an output between rows p and p + 1
/// blends the two dot products linearly.
///
/// Immutable and shared: resamplers for the same rate pair and options use one table (see `shared`).
final class PolyphaseFilter: Sendable {
    /// L: output samples per M input samples.
    let upFactor: Int
    /// M: input samples per L output samples.
    let downFactor: Int
    /// H: input samples needed on each side of an output instant. A multiple of 8, so K = 2H is a
    /// multiple of 16 and `DotProduct.vectorized` runs in whole 16-lane blocks with no scalar tail.
    let halfTaps: Int
    /// K = 2H: taps per phase.
    var tapCount: Int { 2 * halfTaps }
    /// Phases the table resolves: L when exact, P when interpolated.
    let phaseCount: Int
    /// Whether outputs interpolate between neighbouring phases (L > maxPhaseCount).
    let isInterpolated: Bool
    /// (rows, K), row-major; rows = L (exact) or P + 1 (interpolated).
    let coefficients: [Float]

    init(inputRate: Int, outputRate: Int, options: Resampler.Options) {
        let g = Self.gcd(inputRate, outputRate)
        upFactor = outputRate / g
        downFactor = inputRate / g

        // Specification in cycles per input sample.
        let lowerRate = Double(min(inputRate, outputRate))
        let cutoff = options.cutoff * lowerRate / Double(inputRate)
        let transition = options.transitionWidth * lowerRate / Double(inputRate)
        let length = KaiserWindow.length(attenuation: options.stopbandAttenuation, transitionWidth: transition)
        halfTaps = max(8, (Int((length / 2).rounded(.up)) + 7) / 8 * 8)
        let beta = options.kaiserBeta

        isInterpolated = upFactor > options.maxPhaseCount
        phaseCount = isInterpolated ? options.maxPhaseCount : upFactor
        let rows = isInterpolated ? phaseCount + 1 : phaseCount
        let taps = 2 * halfTaps
        let halfWidth = Double(halfTaps)
        var table = [Float](repeating: 0, count: rows * taps)
        var row = [Double](repeating: 0, count: taps)
        for p in 0..<rows {
            let phase = Double(p) / Double(phaseCount)
            for k in 0..<taps {
                let tau = phase + halfWidth - 1 - Double(k)
                row[k] =
                    2 * cutoff * Self.sinc(2 * cutoff * tau)
                    * KaiserWindow.value(at: tau, halfWidth: halfWidth, beta: beta)
            }
            let gain = row.reduce(0, +)
            for k in 0..<taps { table[p * taps + k] = Float(row[k] / gain) }
        }
        coefficients = table
    }

    /// sin(πu)/(πu), 1 at u = 0.
    static func sinc(_ u: Double) -> Double {
        u == 0 ? 1 : sin(Double.pi * u) / (Double.pi * u)
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    // MARK: - Sharing

    private struct Key: Hashable {
        var upFactor: Int
        var downFactor: Int
        var options: Resampler.Options
    }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [Key: PolyphaseFilter] = [:]
    /// Tables kept for reuse; when full the cache is emptied (tables in use stay alive with their resamplers).
    private static let cacheCapacity = 16

    /// The table for this rate pair and options, built once and then shared: decoding many files at one
    /// rate builds it once. The table depends only on the reduced ratio L/M and the options.
    static func shared(inputRate: Int, outputRate: Int, options: Resampler.Options) -> PolyphaseFilter {
        let g = gcd(inputRate, outputRate)
        let key = Key(upFactor: outputRate / g, downFactor: inputRate / g, options: options)
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let filter = cache[key] { return filter }
        let filter = PolyphaseFilter(inputRate: inputRate, outputRate: outputRate, options: options)
        if cache.count >= cacheCapacity { cache.removeAll() }
        cache[key] = filter
        return filter
    }
}
