/// The JSON of a safetensors header: just enough of RFC 8259 to read and write it byte-for-byte like
/// the reference writer (Rust `serde_json`, compact form).
///
/// Why not `JSONSerialization`: it silently keeps one of two duplicate keys (a duplicate tensor name
/// must be an error), turns large offsets into `Double`, and escapes `/` on output where `serde_json`
/// does not, which would break byte identity with Python's files.
enum SafeTensorsJSON {
    /// Object members keep their order and their duplicates, so the caller can report them.
    case object([(key: String, value: SafeTensorsJSON)])
    case array([SafeTensorsJSON])
    case string(String)
    /// The number's text as written, so integers up to 2^64 − 1 convert without going through `Double`.
    case number(String)
    case bool(Bool)
    case null

    /// A short name of the kind of value, for error messages.
    var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value as a non-negative `Int`, if it is a number written as a plain integer that fits.
    var nonNegativeInt: Int? {
        guard case .number(let text) = self, let value = Int(text), value >= 0 else { return nil }
        return value
    }
}

/// A syntax error, with the byte offset in the header where it was found.
struct SafeTensorsJSONSyntaxError: Error {
    var message: String
    var offset: Int
}

/// A recursive-descent parser over the header bytes (already checked to be UTF-8).
struct SafeTensorsJSONParser {
    /// Deeper nesting is refused rather than risking the stack on a hostile file; a valid header nests 3.
    static let maxDepth = 64

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    /// Parses one JSON value filling `bytes`, surrounded by optional whitespace (the spaces of the
    /// header's padding included).
    static func parse(_ bytes: [UInt8]) throws(SafeTensorsJSONSyntaxError) -> SafeTensorsJSON {
        var parser = SafeTensorsJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ message: String) -> SafeTensorsJSONSyntaxError {
        SafeTensorsJSONSyntaxError(message: message, offset: position)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func expect(_ literal: String) throws(SafeTensorsJSONSyntaxError) {
        for byte in literal.utf8 {
            guard current == byte else { throw error("expected '\(literal)'") }
            position += 1
        }
    }

    private mutating func parseValue() throws(SafeTensorsJSONSyntaxError) -> SafeTensorsJSON {
        guard let byte = current else { throw error("unexpected end of header") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character '\(Unicode.Scalar(byte))'")
        }
    }

    private mutating func enter() throws(SafeTensorsJSONSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
    }

    private mutating func parseObject() throws(SafeTensorsJSONSyntaxError) -> SafeTensorsJSON {
        try enter()
        defer { depth -= 1 }
        position += 1  // {
        var members: [(key: String, value: SafeTensorsJSON)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
            } else if current == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            } else {
                throw error("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray() throws(SafeTensorsJSONSyntaxError) -> SafeTensorsJSON {
        try enter()
        defer { depth -= 1 }
        position += 1  // [
        var elements: [SafeTensorsJSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
            } else if current == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            } else {
                throw error("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func parseNumber() throws(SafeTensorsJSONSyntaxError) -> String {
        let start = position
        func digits(_ parser: inout SafeTensorsJSONParser) -> Int {
            let from = parser.position
            while let byte = parser.current, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                parser.position += 1
            }
            return parser.position - from
        }
        if current == UInt8(ascii: "-") { position += 1 }
        let leadingZero = current == UInt8(ascii: "0")
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw error("a number needs digits") }
        guard !(leadingZero && integerDigits > 1) else { throw error("a number cannot start with 0") }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw error("a number needs digits after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw error("a number needs digits in its exponent") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func parseString() throws(SafeTensorsJSONSyntaxError) -> String {
        position += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = current else { throw error("unterminated escape") }
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try parseUnicodeEscape())
                default: throw error("invalid escape '\\\(Unicode.Scalar(escaped))'")
                }
            case 0..<0x20:
                throw error("control character 0x\(String(byte, radix: 16)) inside a string")
            default:
                utf8.append(byte)
            }
        }
    }

    /// After `\u`: four hex digits, or a surrogate pair written as two escapes; returns UTF-8.
    private mutating func parseUnicodeEscape() throws(SafeTensorsJSONSyntaxError) -> [UInt8] {
        var code = try parseHex4()
        if (0xD800..<0xDC00).contains(code) {
            guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
            else { throw error("lone surrogate in \\u escape") }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid surrogate pair in \\u escape") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(code) {
            throw error("lone surrogate in \\u escape")
        }
        guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func parseHex4() throws(SafeTensorsJSONSyntaxError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else { throw error("\\u needs four hex digits") }
            code = code << 4 | digit
            position += 1
        }
        return code
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

/// Compact JSON output exactly as `serde_json::to_string` writes it: no spaces; in strings `"` and `\`
/// escaped, `\b \f \n \r \t` in short form, other control characters as `\u00xx` (lower-case hex), and
/// everything else — `/`, DEL, non-ASCII — written as raw UTF-8.
enum SafeTensorsJSONWriter {
    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        out.append(contentsOf: Array(String(value).utf8))
    }
}
