/// Vectorised log-space arithmetic for `CTCLoss`: `exp`, `log` and log-sum-exp of two or three values,
/// over `CTCLogSpace.Lanes` (two `Double`s at a time), with −∞ as log(0) handled exactly.
///
/// Why not libm: the CTC recursions evaluate one log-sum-exp per state per frame, forward and backward
/// (~0.9 million per direction for the reference batch B = 16, T = 333, 150 labels, after pruning),
/// and libm's scalar `exp`/`log` cost 3–12 ns each in this machine's generic x86-64 build
/// (measured on this project's machines). These polynomial versions run on SSE2 lanes, and evaluate `exp` only on
/// [−708, 0] and `log` only on [1, 3] — the ranges a max-shifted log-sum-exp needs — which keeps the
/// range reduction to a few integer instructions with no compare or branch.
///
/// Accuracy (checked against libm in `CTCLogSpaceTests`): `exp` has relative error ≤ 2e-14, `log`
/// absolute error ≤ 4e-16 on [1, 3] (polynomial error plus the final rounding; measured 1.8e-14 and
/// 2.2e-16). A log-sum-exp therefore errs by ≲ 3e-14 nats; the recursions add one such error per
/// frame, so after T = 1,000 frames a log-probability is off by ≲ 3e-11 — far below anything a Float
/// loss or gradient can show (measured against torch in float64 at T = 333: 3e-15 relative).
enum CTCLogSpace {
    /// Two doubles, the unit the recursions run on: one SSE2 register in the generic x86-64 build.
    ///
    /// A plain struct of two scalars rather than `SIMD2<Double>`: in release builds LLVM's SLP
    /// vectorizer turns every operation below into the packed SSE2 instruction (`addpd`, `maxpd`,
    /// `psllq`, …; checked in the disassembly), exactly as `SIMD2` does, but in debug builds — where
    /// `swift test` runs — `SIMD2`'s generic element-wise operators cost ~6,000 instructions per
    /// `exp` against ~200 here, which made the reference test take 10 s instead of 0.5 s. The small
    /// operations are `@_transparent` so that debug builds inline them too, as the stdlib's own
    /// arithmetic is. (`SIMD4<Double>`, two registers, was ~20% slower in release: LLVM shuffled
    /// lanes across the register pair in the selects.)
    struct Lanes {
        var first: Double
        var second: Double

        @_transparent init(_ first: Double, _ second: Double) {
            self.first = first
            self.second = second
        }
        @_transparent init(repeating value: Double) { self.init(value, value) }

        @_transparent static func + (a: Lanes, b: Lanes) -> Lanes { Lanes(a.first + b.first, a.second + b.second) }
        @_transparent static func - (a: Lanes, b: Lanes) -> Lanes { Lanes(a.first - b.first, a.second - b.second) }
        @_transparent static func * (a: Lanes, b: Lanes) -> Lanes { Lanes(a.first * b.first, a.second * b.second) }
        @_transparent static func / (a: Lanes, b: Lanes) -> Lanes { Lanes(a.first / b.first, a.second / b.second) }
        @_transparent static func + (a: Lanes, b: Double) -> Lanes { Lanes(a.first + b, a.second + b) }
        @_transparent static func - (a: Lanes, b: Double) -> Lanes { Lanes(a.first - b, a.second - b) }
        @_transparent static func * (a: Lanes, b: Double) -> Lanes { Lanes(a.first * b, a.second * b) }
        @_transparent static func + (a: Double, b: Lanes) -> Lanes { Lanes(a + b.first, a + b.second) }
        @_transparent static func += (a: inout Lanes, b: Lanes) { a = a + b }

        /// first + second.
        @_transparent func sum() -> Double { first + second }
    }

    /// Lanes per `Lanes`: the SIMD width, and the block size the state windows are rounded to.
    static let width = 2

    // ln 2 split for Cody–Waite reduction: `ln2High` has its low 20 bits zero, so n·ln2High is exact
    // for |n| < 2^20, and `ln2Low` carries the rest (fdlibm's constants).
    static let ln2High: Double = 6.931_471_803_691_238_164_90e-01
    static let ln2Low: Double = 1.908_214_929_270_587_700_02e-10
    static let log2e: Double = 1.442_695_040_888_963_387_00
    /// 1.5·2⁵²: adding it rounds a double of magnitude < 2⁵¹ to an integer, which then sits in the low
    /// mantissa bits (so no float→int conversion instruction is needed; SSE2 has none for 64-bit lanes).
    static let roundingMagic: Double = 6_755_399_441_055_744.0
    /// Bit patterns for `logOneToThree`'s reduction.
    static let oneBits: UInt64 = 0x3FF0_0000_0000_0000
    static let inverseSqrt2Bits: UInt64 = 0x3FE6_A09E_667F_3BCD  // (0.5).squareRoot().bitPattern
    static let mantissaMask: UInt64 = 0x000F_FFFF_FFFF_FFFF

    /// eˣ for every lane with x ≤ 0. Lanes below −708, −∞ included, give e⁻⁷⁰⁸ ≈ 3.3e-308 rather than
    /// their true value (< 3.3e-308): a clamp instead of a select, and exact in every use here, where the
    /// result is added to 1 (log-sum-exp) or to a sum of order 1 (occupancies), which it cannot change.
    @inline(__always)
    static func exp(_ x: Lanes) -> Lanes {
        let xc = maximum(x, Lanes(repeating: -708))
        // x = n·ln2 + r, n integer, |r| ≤ ln2/2.
        let shifted = xc * log2e + roundingMagic
        let n = shifted - roundingMagic
        let r = (xc - n * ln2High) - n * ln2Low
        // e^r ≈ 1 + r·q(r), q of degree 8 fitted (least squares on Chebyshev nodes, relative error) to
        // (e^r − 1)/r on [−ln2/2, ln2/2]: max relative error 1.7e-14 (Taylor needs degree 11 for that),
        // and exactly 1 at r = 0. Coefficients from `Scripts/fixtures/make_ctc_fixtures.py --fit-polynomials`.
        // Estrin's scheme: the same polynomial as a tree (depth 4 instead of Horner's 9 dependent
        // steps), which lets consecutive j blocks overlap in the out-of-order core.
        let r2 = r * r
        let r4 = r2 * r2
        let q01 = 0.999999999999863 + r * 0.4999999999960332
        let q23 = 0.16666666668156027 + r * 0.04166666698819313
        let q45 = 0.008333332903664378 + r * 0.0013888807800624713
        let q67 = 0.00019841706885971212 + r * 2.4882154419633113e-05
        let q03 = q01 + r2 * q23
        let q47 = q45 + r2 * q67
        let q = q03 + r4 * (q47 + r4 * 2.7441189659718024e-06)
        let p = 1 + r * q
        // 2ⁿ built in the exponent field: n ∈ [−1022, 0], so n + 1023 ∈ [1, 1023] is a normal number;
        // n itself sits in the low mantissa bits of `shifted`.
        return p * Lanes(powerOfTwo(shifted.first), powerOfTwo(shifted.second))
    }

    /// log y for every lane with 1 ≤ y ≤ 3 (the sum of one 1 and at most two values in [0, 1]).
    ///
    /// y = 2ᵏ·m with k ∈ {0, 1, 2} and m ∈ [1/√2, √2); log m = 2·atanh(s) with s = (m − 1)/(m + 1),
    /// |s| ≤ 0.1716.
    @inline(__always)
    static func logOneToThree(_ y: Lanes) -> Lanes {
        // Integer arithmetic on the bit pattern (musl's trick): adding 1 − bits(1/√2) to the exponent
        // field carries into it exactly when the mantissa is ≥ √2, so k = exponent of the sum and
        // m = its mantissa re-based at bits(1/√2) lie in [1/√2, √2) with no compare or select.
        let (m0, k0) = reduce(y.first)
        let (m1, k1) = reduce(y.second)
        let m = Lanes(m0, m1)
        let k = Lanes(k0, k1)
        let s = (m - 1) / (m + 1)
        let z = s * s
        // log m = 2·atanh(s) = 2s·(1 + z·r(z)), z = s² ∈ [0, 0.0295]; r of degree 5 fitted to
        // (atanh(s)/s − 1)/z: max absolute error 7e-17 (the Taylor series needs 9 terms for 3e-16).
        // Estrin's scheme (depth 3), as in `exp`: this chain follows a division, so its latency shows.
        let z2 = z * z
        let p01 = 0.3333333333329266 + z * 0.20000000026496026
        let p23 = 0.1428570851820665 + z * 0.11111688637291109
        let p45 = 0.09061742615451504 + z * 0.0841075292260111
        let p = p01 + z2 * (p23 + z2 * p45)
        let twoS = s + s
        return k * ln2High + (twoS + twoS * z * p + k * ln2Low)
    }

    /// 2ⁿ for the integer n held in the low mantissa bits of `shifted` = n + `roundingMagic`.
    @_transparent
    static func powerOfTwo(_ shifted: Double) -> Double {
        Double(bitPattern: (shifted.bitPattern &- roundingMagic.bitPattern &+ 1023) &<< 52)
    }

    /// y = 2ᵏ·m with m ∈ [1/√2, √2), for `logOneToThree`; k is returned as a Double.
    @_transparent
    static func reduce(_ y: Double) -> (m: Double, k: Double) {
        let bits = y.bitPattern &+ (oneBits &- inverseSqrt2Bits)
        let m = Double(bitPattern: (bits & mantissaMask) &+ inverseSqrt2Bits)
        // k = (bits >> 52) − 1023 ∈ {0, 1, 2}, converted exactly through the 2⁵² magic number.
        let k = Double(bitPattern: (bits &>> 52) | roundingMagic.bitPattern) - (roundingMagic + 1023)
        return (m, k)
    }

    /// log(eᵃ + eᵇ), lane by lane, exact for −∞ operands (both −∞ gives −∞).
    ///
    /// Computed as max + log(1 + e^(min − max)): the exponent is ≤ 0, so nothing overflows, and the
    /// log's argument lies in [1, 2]. When max is −∞ the shift is −1e300 instead (−∞ − −∞ would be
    /// NaN); then e^(min − shift) ≈ 0 and the result is −∞ + log 1 = −∞.
    @inline(__always)
    static func logSumExp(_ a: Lanes, _ b: Lanes) -> Lanes {
        let high = maximum(a, b)
        let low = minimum(a, b)
        return high + logOneToThree(1 + exp(low - finiteShift(high)))
    }

    /// log(eᵃ + eᵇ + eᶜ), lane by lane, exact for −∞ operands: the largest operand plus
    /// log(1 + e^(mid − max) + e^(low − max)), argument of the log in [1, 3]. See the two-operand form.
    @inline(__always)
    static func logSumExp(_ a: Lanes, _ b: Lanes, _ c: Lanes) -> Lanes {
        let ab = maximum(a, b)
        let low = minimum(a, b)
        let high = maximum(ab, c)
        let mid = minimum(ab, c)
        let shift = finiteShift(high)
        return high + logOneToThree(1 + exp(mid - shift) + exp(low - shift))
    }

    // max and min written lane by lane as `a > b ? a : b`, which is exactly x86's `maxpd a, b` (NaN
    // included), so LLVM emits one instruction per register. (With `SIMD` types,
    // `replacing(with:where:)` round-trips the mask through integer lanes, ~4 extra instructions.)

    /// max(a, b) per lane (`maxpd`).
    @_transparent
    static func maximum(_ a: Lanes, _ b: Lanes) -> Lanes {
        Lanes(a.first > b.first ? a.first : b.first, a.second > b.second ? a.second : b.second)
    }

    /// min(a, b) per lane (`minpd`).
    @_transparent
    static func minimum(_ a: Lanes, _ b: Lanes) -> Lanes {
        Lanes(a.first < b.first ? a.first : b.first, a.second < b.second ? a.second : b.second)
    }

    /// The shift a log-sum-exp subtracts: its largest operand, but at least −1e300, so that where every
    /// operand is −∞ the shifted operands are −∞ (e⁻∞ ≈ 0, result −∞ + log 1 = −∞) rather than NaN.
    /// Finite log-probabilities here are ≥ −T·(Float range) ≈ −1e42, far above the floor.
    @_transparent
    static func finiteShift(_ high: Lanes) -> Lanes {
        maximum(high, Lanes(repeating: -1e300))
    }

    /// Loads `pointer[0]` and `pointer[1]` (no alignment required: one `movupd`).
    @_transparent
    static func load(_ pointer: UnsafePointer<Double>) -> Lanes {
        Lanes(pointer[0], pointer[1])
    }

    /// Stores `value` into `pointer[0]` and `pointer[1]`.
    @_transparent
    static func store(_ value: Lanes, to pointer: UnsafeMutablePointer<Double>) {
        pointer[0] = value.first
        pointer[1] = value.second
    }

    /// `values[i] ← e^(values[i])` for `count` values that are all ≤ 0: SIMD over full vectors and the
    /// same polynomial on a padded vector for the tail, so every element gets the same accuracy.
    static func expInPlace(_ values: UnsafeMutablePointer<Double>, count: Int) {
        var i = 0
        while i + width <= count {
            store(exp(load(values + i)), to: values + i)
            i += width
        }
        if i < count {  // one value left (width 2)
            values[i] = exp(Lanes(repeating: values[i])).first
        }
    }
}
