#if Server
    import Foundation
    import NIOCore

    /// The parts of a `multipart/form-data` body (RFC 7578, in the syntax of RFC 2046 §5.1.1): each part's field
    /// name, file name and content type (from its headers) and its bytes.
    ///
    /// Read here, not with MultipartKit 4.7.1, whose parser traps (an index out of range) on a part's header name
    /// with a byte over 0x7F: a 6-byte body ended the server (FUZZING.md, finding 8).
    struct MultipartForm {
        struct Part {
            /// The `name` of its `Content-Disposition`.
            var name: String
            /// The `filename` of its `Content-Disposition`, for a file.
            var filename: String?
            var contentType: String?
            var body: ByteBuffer

            /// The part as text (form fields), or nil when it is not UTF-8.
            var text: String? { String(validating: body.readableBytesView, as: UTF8.self) }
        }

        var parts: [Part]

        /// Parses `body`, sent with the request's `contentType` header:
        /// 1. the first delimiter line (`--boundary`), at the start or after a line break (a preamble is skipped);
        /// 2. after each delimiter, `--` closes the body (an epilogue may follow); else spaces or tabs and a line
        ///    break, the part's header lines up to an empty line, and its bytes up to a line break and the next
        ///    delimiter.
        /// - Throws: `APIError` (400) naming the cause: not multipart/form-data, no boundary, a syntax error, no
        ///   part, a part without a name, or a body that ends before the closing boundary (a truncated upload).
        init(contentType: String?, body: ByteBuffer) throws {
            guard let contentType, let boundary = Self.boundary(contentType: contentType) else {
                throw APIError.invalid(
                    "the request must be multipart/form-data with a boundary (Content-Type: \(contentType ?? "none"))",
                    param: nil)
            }
            let delimiter = Array("--\(boundary)".utf8)
            let ranges = try body.withUnsafeReadableBytes { bytes in try Self.parts(of: bytes, delimiter: delimiter) }
            guard !ranges.isEmpty else { throw APIError.invalid("the multipart body has no parts", param: nil) }
            parts = ranges.map { headers, range in
                Self.part(
                    headers: headers, body: body.getSlice(at: body.readerIndex + range.lowerBound, length: range.count)!
                )
            }
            if let unnamed = parts.first(where: { $0.name.isEmpty }) {
                throw APIError.invalid(
                    "a multipart part has no name in its Content-Disposition (\(unnamed.filename ?? "no file name"))",
                    param: nil)
            }
        }

        /// The first part named `name`.
        subscript(name: String) -> Part? { parts.first { $0.name == name } }

        /// The `boundary` parameter of a `multipart/form-data` content type, unquoted.
        static func boundary(contentType: String) -> String? {
            let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
            for field in fields.dropFirst() {
                let pair = field.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 200 ? nil : value
            }
            return nil
        }

        /// The header lines (names lower-cased) and the byte range of each part of `bytes`, in order.
        private static func parts(of bytes: UnsafeRawBufferPointer, delimiter: [UInt8]) throws
            -> [([(String, String)], Range<Int>)]
        {
            let incomplete = APIError.invalid(
                "the multipart body ends before its closing boundary: the upload is incomplete", param: nil)
            let nextDelimiter = BytePattern([13, 10] + delimiter)
            var position: Int
            if bytes.starts(with: delimiter) {
                position = 0
            } else if let found = nextDelimiter.first(in: bytes, from: 0) {
                position = found + 2
            } else {
                throw incomplete
            }
            var parts: [([(String, String)], Range<Int>)] = []
            while true {
                position += delimiter.count
                if bytes[position...].starts(with: [45, 45]) { return parts }  // "--": the closing delimiter
                while position < bytes.count && (bytes[position] == 32 || bytes[position] == 9) { position += 1 }
                guard position + 2 <= bytes.count else { throw incomplete }
                guard bytes[position] == 13 && bytes[position + 1] == 10 else {
                    throw APIError.invalid(
                        "the multipart body is malformed (a boundary line goes on after the boundary)", param: nil)
                }
                position += 2
                let headers = try headerLines(bytes, from: &position, incomplete: incomplete)
                guard let end = nextDelimiter.first(in: bytes, from: position) else { throw incomplete }
                parts.append((headers, position..<end))
                position = end + 2
            }
        }

        /// The header lines from `position` up to and including the empty line that ends them; `position` ends
        /// after it. Each is `name: value` with a name of RFC 7230's token characters.
        private static func headerLines(
            _ bytes: UnsafeRawBufferPointer, from position: inout Int, incomplete: APIError
        ) throws -> [(String, String)] {
            var headers: [(String, String)] = []
            while true {
                guard let lineEnd = BytePattern.lineBreak.first(in: bytes, from: position) else { throw incomplete }
                defer { position = lineEnd + 2 }
                if lineEnd == position { return headers }
                let line = bytes[position..<lineEnd]
                guard let colon = line.firstIndex(of: 58), colon > position,
                    line[..<colon].allSatisfy(isTokenCharacter)
                else {
                    throw APIError.invalid(
                        "the multipart body is malformed (a part's header line is not 'Name: value')", param: nil)
                }
                let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
                let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
                headers.append((name, value.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))))
            }
        }

        /// RFC 7230's `tchar`: the characters of a header name.
        private static func isTokenCharacter(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "a")...UInt8(ascii: "z"):
                return true
            default:
                return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
        }

        /// A part from its headers: the name and file name of `Content-Disposition: form-data; name="…"; filename="…"`.
        private static func part(headers: [(String, String)], body: ByteBuffer) -> Part {
            let disposition = headers.first { $0.0 == "content-disposition" }?.1 ?? ""
            var name = "", filename: String?
            for field in disposition.split(separator: ";").dropFirst() {
                let pair = field.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                let value =
                    pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2
                    ? String(pair[1].dropFirst().dropLast()) : pair[1]
                switch pair[0].lowercased() {
                case "name": name = value
                case "filename": filename = value
                default: break
                }
            }
            return Part(
                name: name, filename: filename, contentType: headers.first { $0.0 == "content-type" }?.1, body: body)
        }
    }
#endif
