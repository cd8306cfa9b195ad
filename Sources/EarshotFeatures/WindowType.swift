import Foundation

/// The analysis windows Kaldi offers (`--window-type`), with `a = 2π / (N − 1)` over samples
/// `i = 0 … N−1`:
/// - `hanning`: `0.5 − 0.5 cos(a i)`
/// - `sine`: `sin(a i / 2)`
/// - `hamming`: `0.54 − 0.46 cos(a i)`
/// - `povey`: `(0.5 − 0.5 cos(a i))^0.85`, a Hann window that does not reach zero as quickly
/// - `rectangular`: `1`
/// - `blackman`: `c − 0.5 cos(a i) + (0.5 − c) cos(2 a i)` with `c = blackmanCoefficient`
public enum WindowType: String, Codable, Sendable, CaseIterable {
    case hanning, sine, hamming, povey, rectangular, blackman

    /// The window's `length` coefficients, computed in double precision as Kaldi does.
    public func coefficients(length: Int, blackmanCoefficient: Double = 0.42) -> [Float] {
        let a = 2 * Double.pi / Double(length - 1)
        return (0..<length).map { i in
            let x = Double(i)
            switch self {
            case .hanning: return Float(0.5 - 0.5 * cos(a * x))
            case .sine: return Float(sin(0.5 * a * x))
            case .hamming: return Float(0.54 - 0.46 * cos(a * x))
            case .povey: return Float(pow(0.5 - 0.5 * cos(a * x), 0.85))
            case .rectangular: return 1
            case .blackman:
                let c = blackmanCoefficient
                return Float(c - 0.5 * cos(a * x) + (0.5 - c) * cos(2 * a * x))
            }
        }
    }
}
