import Foundation

/// The start of a PNG file as the format defines it: the 8-byte signature, then the IHDR chunk (length 13,
/// type "IHDR", width and height as big-endian 32-bit integers, bit depth, colour type). Read from the
/// bytes themselves, independently of the library that wrote them.
public struct PNGHeader: Equatable {
    public var width: Int
    public var height: Int
    /// Bits per sample (8 for Cairo's output).
    public var bitDepth: Int
    /// 2 truecolour (RGB), 6 truecolour with alpha, 3 indexed, 0 grey, 4 grey with alpha.
    public var colorType: Int

    /// `\x89PNG\r\n\x1a\n`.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The header of `data`, or nil when it does not start with the PNG signature and an IHDR chunk.
    public init?(data: Data) {
        let bytes = [UInt8](data.prefix(26))
        guard bytes.count == 26, Array(bytes[0..<8]) == Self.signature,
            Array(bytes[8..<12]) == [0, 0, 0, 13], String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR"
        else { return nil }
        func bigEndian(_ offset: Int) -> Int {
            bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        }
        width = bigEndian(16)
        height = bigEndian(20)
        bitDepth = Int(bytes[24])
        colorType = Int(bytes[25])
    }
}
