#if canImport(Glibc)
    import Glibc
#endif

/// Fast single-precision `exp`, logistic sigmoid and `tanh` over `SIMD16<Float>`, for the LSTM's gate
/// kernels, with buffer versions for everything else.
///
/// Why not libm: a `tanhf`/`expf` loop costs 6–13 ns per element here, these about 1 ns (release build
/// on the project's 2-core AVX-512 machine, baseline x86-64 code: sigmoid 1.0 ns, tanh 1.0 ns; the whole
/// LSTM step kernel 5.5 ns per hidden unit), and an LSTM step evaluates five of them per hidden unit.
/// Accuracy against libm (in Double) over [−20, 20] and beyond (ActivationsTests): relative error
/// 9.2e-8 (exp), 1.4e-7 (sigmoid), 2.6e-7 (tanh) — one to four float ulps; exact saturation to 1 and
/// ±1 far out; NaN in → NaN out.
///
/// How (all coefficients are mathematical constants, not fitted):
/// - `exp(x)`: `x = n·ln2 + r` with `n = round(x/ln2)`, `|r| ≤ ln2/2`; `r` is computed with `ln2` split
///   in two (Cody–Waite: the high part has 9 significant bits, so `n·ln2Hi` is exact); `e^r` is its
///   Taylor polynomial to degree 7 (truncation error `r⁸/8! ≤ 5e-9`, below float rounding); `2ⁿ` is
///   built in the exponent bits. The rounding to `n` uses the 1.5·2²³ trick (adding it leaves `n` in
///   the low mantissa bits), so no rounding instruction is needed on baseline x86-64 (SSE2). Inputs are
///   clamped to [−87, 88] so `2ⁿ` stays a normal float: `exp` saturates at ≈1.65e38 instead of +inf and
///   bottoms out at ≈1.6e-38 instead of 0.
/// - `sigmoid(x) = 1 / (1 + exp(−x))`: no cancellation for either sign, so the relative error stays a
///   few ulps down to sigmoid(−87) ≈ 1.6e-38.
/// - `tanh(x)`: the 12th convergent of Lambert's continued fraction
///   `tanh x = x / (1 + x²/(3 + x²/(5 + x²/(7 + …))))`, multiplied out into `x·P(x²)/Q(x²)` with
///   P, Q of degree 6 and exact rational coefficients (P = 1 + 11/75 z + 3/575 z² + …), evaluated on
///   `|x|` with the sign put back. Its relative error is ≤ 3.7e-8 in exact arithmetic over [0, 9] and
///   ≤ 3.5e-7 in float; it is exact at 0 and keeps full relative accuracy for tiny `x` (where forms
///   through `exp` cancel). `|x|` is clamped at 8.142163, the largest point below which the float
///   evaluation never exceeds 1 and where it gives exactly 1, so `|tanh| ≤ 1` always and it saturates
///   to exactly ±1 (true tanh rounds to 1 from 8.66 on). 1.0 ns per element against 1.75 ns for the
///   `exp` form with a Taylor branch near 0 that it replaced.
///
/// The clamps use `replace(with:where:)`, not `pointwiseMin/Max` (17 ns/element in Swift 6.3,
/// measured on this project's machines). The three vector functions are `@_transparent`: with `@inlinable @inline(__always)`
/// Swift 6.3 still emitted calls to them from the LSTM kernels (seen in `objdump`; each call spills
/// 64-byte vectors to memory), and transparent functions are always inlined, in this module and in
/// others. The buffer versions are `@inlinable`.
public enum Activations {
    /// The vector type of the fast kernels: 16 floats (four SSE registers on baseline x86-64; one
    /// AVX-512 register when compiled for it). Measured marginally faster than 4 or 8 lanes here.
    public typealias Vector = SIMD16<Float>

    @usableFromInline typealias IntVector = SIMD16<Int32>
    @usableFromInline typealias BitVector = SIMD16<UInt32>

    /// `e^x` per lane; see the type's documentation for method and accuracy.
    @_transparent
    public static func exp(_ value: Vector) -> Vector {
        var x = value
        x.replace(with: 88, where: x .> 88)
        x.replace(with: -87, where: x .< -87)
        let roundingShift: Float = 12_582_912  // 1.5 · 2²³: x + this rounds x to an integer (for |x| < 2²²)
        let shifted = x * 1.442_695_040_888_963_4 + roundingShift  // log2(e) · x, rounded, in the low bits
        let n = shifted - roundingShift
        let r = (x - n * 0.693_359_375) - n * -2.121_944_400_546_905_8e-4  // ln2 = 0.693359375 − 2.1219…e-4
        var p = r * (1.0 / 5040) + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // 2ⁿ: the integer n sits in the low mantissa bits of `shifted` (bit pattern 0x4B40_0000 + n).
        let exponent = (unsafeBitCast(shifted, to: IntVector.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(exponent, to: Vector.self)
    }

    /// The logistic function `1 / (1 + e^−x)` per lane.
    @_transparent
    public static func sigmoid(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }

    /// `tanh(x)` per lane.
    @_transparent
    public static func tanh(_ x: Vector) -> Vector {
        let bits = unsafeBitCast(x, to: BitVector.self)
        var a = unsafeBitCast(bits & 0x7FFF_FFFF, to: Vector.self)  // |x|
        a.replace(with: 8.142_163, where: a .> 8.142_163)
        let z = a * a
        // P(z) = 1 + 11/75 z + 3/575 z² + 4/60375 z³ + 2/6194475 z⁴ + 1/1930611375 z⁵ + 1/7905853580625 z⁶
        var p = z * 1.264_885_555_749_117e-13 + 5.179_706_350_792_634e-10
        p = p * z + 3.228_683_625_327_408_6e-7
        p = p * z + 6.625_258_799_171_843e-5
        p = p * z + 5.217_391_304_347_826_5e-3
        p = p * z + 0.146_666_666_666_666_67
        p = p * z + 1
        // Q(z) = 1 + 12/25 z + 11/345 z² + 8/12075 z³ + 2/382375 z⁴ + 8/526530375 z⁵ + 1/86877511875 z⁶
        var q = z * 1.151_045_855_731_696_6e-11 + 1.519_380_529_565_839_3e-8
        q = q * z + 5.230_467_473_030_402e-6
        q = q * z + 6.625_258_799_171_842e-4
        q = q * z + 3.188_405_797_101_449e-2
        q = q * z + 0.48
        q = q * z + 1
        let t = a * p / q
        return unsafeBitCast(unsafeBitCast(t, to: BitVector.self) | (bits & 0x8000_0000), to: Vector.self)
    }

    // MARK: - Partial vectors

    /// The first `count` (< 16) values at `pointer` in a vector, the other lanes 0; for the tail of a
    /// row whose length is not a multiple of 16, so that every element goes through the same formula.
    @inlinable @inline(__always)
    public static func load(_ pointer: UnsafePointer<Float>, count: Int) -> Vector {
        if count >= Vector.scalarCount { return UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self) }
        var v = Vector()
        for k in 0..<count { v[k] = pointer[k] }
        return v
    }

    /// Stores the first `min(count, 16)` lanes of `value` at `pointer`.
    @inlinable @inline(__always)
    public static func store(_ value: Vector, to pointer: UnsafeMutablePointer<Float>, count: Int) {
        if count >= Vector.scalarCount {
            UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
            return
        }
        for k in 0..<count { pointer[k] = value[k] }
    }

    // MARK: - Buffers

    /// `output[k] = exp(input[k])` for `k < count`; `output` may be `input`.
    @inlinable
    public static func exp(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        apply(input, output, count: count) { exp($0) }
    }

    /// `output[k] = sigmoid(input[k])` for `k < count`; `output` may be `input`.
    @inlinable
    public static func sigmoid(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        apply(input, output, count: count) { sigmoid($0) }
    }

    /// `output[k] = tanh(input[k])` for `k < count`; `output` may be `input`.
    @inlinable
    public static func tanh(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        apply(input, output, count: count) { tanh($0) }
    }

    /// Array conveniences (tests, small inputs).
    public static func exp(_ values: [Float]) -> [Float] { mapped(values) { exp($0, $1, count: $2) } }
    public static func sigmoid(_ values: [Float]) -> [Float] { mapped(values) { sigmoid($0, $1, count: $2) } }
    public static func tanh(_ values: [Float]) -> [Float] { mapped(values) { tanh($0, $1, count: $2) } }

    @inlinable @inline(__always)
    static func apply(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int,
        _ function: (Vector) -> Vector
    ) {
        var k = 0
        while k < count {
            let n = min(Vector.scalarCount, count - k)
            store(function(load(input + k, count: n)), to: output + k, count: n)
            k += n
        }
    }

    private static func mapped(
        _ values: [Float], _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                if let i = input.baseAddress, let o = output.baseAddress { body(i, o, values.count) }
            }
        }
        return result
    }
}
