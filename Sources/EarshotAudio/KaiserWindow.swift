#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Kaiser window and Kaiser's formulas for sizing a low-pass filter from its specification
/// (J. F. Kaiser, 1974; Oppenheim & Schafer, *Discrete-Time Signal Processing*, eqs. 7.62–7.63).
///
/// Lengths and positions are in taps, i.e. samples of the rate the filter runs at.
enum KaiserWindow {
    /// The shape parameter β that gives a stopband attenuation of `attenuation` dB (A):
    /// β = 0.1102 (A − 8.7) for A > 50; 0.5842 (A − 21)^0.4 + 0.07886 (A − 21) for 21 ≤ A ≤ 50; 0 below.
    static func beta(attenuation: Double) -> Double {
        if attenuation > 50 { return 0.1102 * (attenuation - 8.7) }
        if attenuation >= 21 {
            let excess = attenuation - 21
            return 0.5842 * pow(excess, 0.4) + 0.07886 * excess
        }
        return 0
    }

    /// The filter length N (taps, not rounded) for a stopband attenuation of `attenuation` dB (A) and a
    /// transition band `transitionWidth` wide in cycles per tap (Δf): N = (A − 7.95) / (14.36 Δf).
    static func length(attenuation: Double, transitionWidth: Double) -> Double {
        max(attenuation - 7.95, 0) / (14.36 * transitionWidth)
    }

    /// The window at `x` taps from its centre, for a window spanning [−halfWidth, halfWidth]:
    /// w(x) = I₀(β √(1 − (x / halfWidth)²)) / I₀(β), and 0 outside.
    static func value(at x: Double, halfWidth: Double, beta: Double) -> Double {
        let r = x / halfWidth
        guard r.magnitude <= 1 else { return 0 }
        return besselI0(beta * (1 - r * r).squareRoot()) / besselI0(beta)
    }

    /// The modified Bessel function of the first kind, order 0: I₀(x) = Σₖ ((x/2)ᵏ / k!)².
    /// The series converges fast for the β of audio filters (< 30); summed until a term adds < 1e-17.
    static func besselI0(_ x: Double) -> Double {
        let halfX = x / 2
        var sum = 1.0
        var term = 1.0
        var k = 1.0
        while true {
            let ratio = halfX / k
            term *= ratio * ratio
            sum += term
            if term < sum * 1e-17 { return sum }
            k += 1
        }
    }
}
