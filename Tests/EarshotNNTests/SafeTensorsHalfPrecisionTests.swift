import EarshotNN
import Foundation
import XCTest

/// Our hand-written 16-bit conversions (integer arithmetic, portable) against independent twins:
/// Swift's `Float16` (compiler-rt / F16C) for F16, and a nearest-value search in `Double` for BF16.
/// Exhaustive where the domain is small (all 65 536 encodings), a dense sweep otherwise.
final class SafeTensorsHalfPrecisionTests: XCTestCase {
    /// A one-tensor file of raw 16-bit elements, built by hand.
    func file(dtype: String, elements: [UInt16]) -> Data {
        let header =
            #"{"x":{"dtype":"\#(dtype)","shape":[\#(elements.count)],"data_offsets":[0,\#(elements.count * 2)]}}"#
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        for element in elements { withUnsafeBytes(of: element.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// The 16-bit elements our encoder writes for `values`.
    func encoded(_ values: [Float], as dtype: SafeTensors.DType) throws -> [UInt16] {
        let data = try SafeTensors.encode(["x": Tensor(shape: [values.count], values: values)], dtype: dtype)
        let bytes = [UInt8](data)
        let start = 8 + Int(bytes[0]) | Int(bytes[1]) << 8
        return stride(from: start, to: bytes.count, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
    }

    /// Floats where rounding to 16 bits is delicate: every F16 value, the midpoints between neighbours
    /// (ties), one binary32 ulp either side of them, plus a stride through all binary32 encodings.
    func sweepValues() -> [Float] {
        var values: [Float] = []
        for bits in UInt32(0)..<0x7C00 {
            let low = Double(halfToFloat(UInt16(bits))), high = Double(halfToFloat(UInt16(bits + 1)))
            let middle = Float((low + high) / 2)  // exact in binary32
            for v in [Float(low), middle, middle.nextDown, middle.nextUp] { values += [v, -v] }
        }
        for bits in stride(from: UInt32(0), to: UInt32.max - 4099, by: 4099) { values.append(Float(bitPattern: bits)) }
        return values
    }

    func halfToFloat(_ bits: UInt16) -> Float {
        #if arch(x86_64) && os(macOS)
            preconditionFailure("Float16 is unavailable on Intel macOS")
        #else
            Float(Float16(bitPattern: bits))
        #endif
    }

    #if !(arch(x86_64) && os(macOS))
        /// Every F16 encoding decodes to `Float(Float16(bitPattern:))`, NaN to NaN.
        func testF16DecodingIsExactForAllEncodings() throws {
            let all = (0...UInt16.max).map { $0 }
            let values = try XCTUnwrap(SafeTensors.decode(file(dtype: "F16", elements: all)).tensors["x"]).values
            for (bits, value) in zip(all, values) {
                let expected = Float(Float16(bitPattern: bits))
                if expected.isNaN ? !value.isNaN : value.bitPattern != expected.bitPattern {
                    XCTFail("F16 0x\(String(bits, radix: 16)): got \(value), expected \(expected)")
                    return
                }
            }
        }

        /// Encoding to F16 rounds to nearest even exactly like `Float16(_: Float)`; NaN stays NaN.
        func testF16EncodingRoundsLikeFloat16() throws {
            let values =
                sweepValues() + [.infinity, -.infinity, .nan, -.nan, .greatestFiniteMagnitude, 65520, 65519.996]
            let ours = try encoded(values, as: .f16)
            for (value, bits) in zip(values, ours) {
                let expected = Float16(value)
                if expected.isNaN ? !Float16(bitPattern: bits).isNaN : bits != expected.bitPattern {
                    XCTFail(
                        "F16 of \(value) (0x\(String(value.bitPattern, radix: 16))): got 0x\(String(bits, radix: 16)), "
                            + "expected 0x\(String(expected.bitPattern, radix: 16))")
                    return
                }
            }
        }
    #endif

    /// Every BF16 encoding decodes to its bits shifted into the top of a binary32.
    func testBF16DecodingIsExactForAllEncodings() throws {
        let all = (0...UInt16.max).map { $0 }
        let values = try XCTUnwrap(SafeTensors.decode(file(dtype: "BF16", elements: all)).tensors["x"]).values
        for (bits, value) in zip(all, values) where value.bitPattern != UInt32(bits) << 16 {
            XCTFail("BF16 0x\(String(bits, radix: 16)) decoded to \(value)")
            return
        }
    }

    /// Encoding to BF16 picks the nearer of the two neighbouring BF16 values (computed in `Double`),
    /// the even one on a tie; NaN becomes 0x7FC0, as in PyTorch's scalar conversion.
    func testBF16EncodingRoundsToNearestEven() throws {
        let values = sweepValues() + [.infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        let ours = try encoded(values + [.nan], as: .bf16)
        XCTAssertEqual(ours.last, 0x7FC0)
        for (value, bits) in zip(values, ours) where !value.isNaN {
            let down = value.bitPattern & 0xFFFF_0000
            let up = down &+ 0x1_0000  // next BF16 away from zero (may be infinity)
            let lowDistance = abs(Double(value) - Double(Float(bitPattern: down)))
            let upValue = Float(bitPattern: up)
            // Beyond the largest finite BF16 the "next" value is infinity; treat it as 2^128 for the distance.
            let upDistance =
                abs(Double(value)) >= 0x1p127 && upValue.isInfinite
                ? abs(0x1p128 * (value < 0 ? -1 : 1) - Double(value)) : abs(Double(upValue) - Double(value))
            let expected: UInt32 =
                value.isInfinite
                ? down
                : lowDistance < upDistance ? down : upDistance < lowDistance ? up : (down >> 16 & 1 == 0 ? down : up)
            if UInt32(bits) << 16 != expected {
                XCTFail(
                    "BF16 of \(value): got 0x\(String(bits, radix: 16)), expected 0x\(String(expected >> 16, radix: 16))"
                )
                return
            }
        }
    }
}
