extension SafeTensors {
    /// The floating-point element types Earshot reads (all converted to `Float`) and can write.
    ///
    /// Raw values are the safetensors spellings. Other dtypes of the specification (integers, `BOOL`,
    /// 8-bit floats, …) are recognised by name and rejected with `.unsupportedDType`.
    public enum DType: String, Sendable, Codable, CaseIterable {
        /// IEEE binary32; Earshot's working precision and the default for writing (exact round trip).
        case f32 = "F32"
        /// IEEE binary16: half the size, ~3 significant digits, largest finite value 65504. For compact
        /// model files; writing rounds to nearest even, as `numpy.astype(float16)` and PyTorch do.
        case f16 = "F16"
        /// bfloat16: the top 16 bits of a binary32 (same range, ~2–3 digits); common in PyTorch
        /// checkpoints. Writing rounds to nearest even; every NaN becomes `0x7FC0`, as in PyTorch.
        case bf16 = "BF16"
        /// IEEE binary64; read by rounding to the nearest `Float`.
        case f64 = "F64"

        /// Bytes per element.
        public var byteCount: Int {
            switch self {
            case .f32: 4
            case .f16, .bf16: 2
            case .f64: 8
            }
        }

        /// The dtypes of the safetensors specification that are not floating-point types Earshot reads.
        static let unsupportedNames: Set<String> = [
            "BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4",
            "F6_E2M3", "F6_E3M2", "C64",
        ]
    }
}

/// Bit-exact conversions between `Float` and the 16-bit formats, in plain integer arithmetic so they
/// behave the same on every platform (Swift's `Float16` is missing on Intel macOS).
enum HalfPrecision {
    /// binary16 bits → `Float`, exactly (every binary16 value is representable). NaN payloads are kept.
    @inline(__always)
    static func float(fromF16 bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2^-24, exact in binary32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }

    /// `Float` → binary16 bits, rounding to nearest even; overflow gives ±infinity, NaN stays NaN
    /// (payload truncated, never turned into infinity), as NumPy's `npy_floatbits_to_halfbits`.
    @inline(__always)
    static func f16(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude >= 0x7F80_0000 {  // infinity or NaN
            if magnitude == 0x7F80_0000 { return sign | 0x7C00 }
            let payload = UInt16(truncatingIfNeeded: (magnitude & 0x7F_FFFF) >> 13)
            return sign | 0x7C00 | (payload == 0 ? 1 : payload)
        }
        if magnitude >= 0x477F_F000 { return sign | 0x7C00 }  // ≥ 65520 rounds to infinity
        if magnitude < 0x3880_0000 {
            // Below 2^-14: a subnormal half, mantissa = round(|x| × 2^24); 1024 is the smallest normal,
            // whose bit pattern is 0x0400, so the carry needs no special case.
            let scaled = (Float(bitPattern: magnitude) * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(scaled)
        }
        let exponent = (magnitude >> 23) &- 112  // rebias 127 → 15
        var half = UInt16(truncatingIfNeeded: exponent << 10 | (magnitude & 0x7F_FFFF) >> 13)
        let remainder = magnitude & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half &+= 1 }  // may carry into the exponent
        return sign | half
    }

    /// bfloat16 bits → `Float`, exactly.
    @inline(__always)
    static func float(fromBF16 bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// `Float` → bfloat16 bits, rounding to nearest even; NaN → `0x7FC0` (PyTorch's `round_to_nearest_even`).
    @inline(__always)
    static func bf16(from value: Float) -> UInt16 {
        if value.isNaN { return 0x7FC0 }
        let bits = value.bitPattern
        return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }
}
