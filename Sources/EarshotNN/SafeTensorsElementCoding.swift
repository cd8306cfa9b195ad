extension SafeTensors.DType {
    /// Converts little-endian elements of this dtype in `raw` (`out.count × byteCount` bytes, any
    /// alignment) to `Float` in `out`.
    func decode(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(raw.count == out.count * byteCount, "decode: \(raw.count) bytes for \(out.count) \(rawValue)")
        switch self {
        case .f32:
            for i in 0..<out.count {
                out[i] = Float(
                    bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        case .f16:
            for i in 0..<out.count {
                out[i] = HalfPrecision.float(
                    fromF16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .bf16:
            for i in 0..<out.count {
                out[i] = HalfPrecision.float(
                    fromBF16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .f64:
            for i in 0..<out.count {
                out[i] = Float(
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
            }
        }
    }

    /// Converts `values` to little-endian elements of this dtype in `raw` (`values.count × byteCount`
    /// bytes, any alignment).
    func encode(_ values: UnsafeBufferPointer<Float>, into raw: UnsafeMutableRawBufferPointer) {
        precondition(
            raw.count == values.count * byteCount, "encode: \(raw.count) bytes for \(values.count) \(rawValue)")
        switch self {
        case .f32:
            for i in 0..<values.count {
                raw.storeBytes(of: values[i].bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
            }
        case .f16:
            for i in 0..<values.count {
                raw.storeBytes(
                    of: HalfPrecision.f16(from: values[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        case .bf16:
            for i in 0..<values.count {
                raw.storeBytes(
                    of: HalfPrecision.bf16(from: values[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        case .f64:
            for i in 0..<values.count {
                raw.storeBytes(of: Double(values[i]).bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self)
            }
        }
    }
}
