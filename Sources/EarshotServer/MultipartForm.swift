#if Server
    import Foundation
    import MultipartKit
    import NIOCore

    /// The parts of a `multipart/form-data` body (RFC 7578), read with MultipartKit's parser: each part's field
    /// name, file name and content type (from its headers) and its bytes.
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

        /// Parses `body`, sent with the request's `contentType` header.
        /// - Throws: `APIError` (400) naming the cause: not multipart/form-data, no boundary, a syntax error, a part
        ///   without a name, or a body that ends before the closing boundary (a truncated upload).
        init(contentType: String?, body: ByteBuffer) throws {
            guard let contentType, let boundary = Self.boundary(contentType: contentType) else {
                throw APIError.invalid(
                    "the request must be multipart/form-data with a boundary (Content-Type: \(contentType ?? "none"))",
                    param: nil)
            }
            var parts: [Part] = []
            var headers: [(String, String)] = []
            var current = ByteBuffer()
            var closed = 0
            let parser = MultipartParser(boundary: boundary)
            parser.onHeader = { name, value in headers.append((name.lowercased(), value)) }
            parser.onBody = { chunk in current.writeBuffer(&chunk) }
            parser.onPartComplete = {
                parts.append(Self.part(headers: headers, body: current))
                headers = []
                current = ByteBuffer()
                closed += 1
            }
            do {
                try parser.execute(body)
            } catch {
                throw APIError.invalid("the multipart body is malformed (\(error))", param: nil)
            }
            // The parser completes a part at the boundary after it; a body cut short leaves its last part open (or
            // none at all) and never reaches the closing "--boundary--".
            guard closed > 0, Self.endsWithClosingBoundary(body, boundary: boundary) else {
                throw APIError.invalid(
                    "the multipart body ends before its closing boundary: the upload is incomplete", param: nil)
            }
            if let unnamed = parts.first(where: { $0.name.isEmpty }) {
                throw APIError.invalid(
                    "a multipart part has no name in its Content-Disposition (\(unnamed.filename ?? "no file name"))",
                    param: nil)
            }
            self.parts = parts
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

        /// Whether the closing delimiter `--boundary--` is in the body's last bytes (an epilogue may follow it).
        private static func endsWithClosingBoundary(_ body: ByteBuffer, boundary: String) -> Bool {
            let closing = Array("--\(boundary)--".utf8)
            let tail = Array(body.readableBytesView.suffix(closing.count + 512))
            guard tail.count >= closing.count else { return false }
            return (0...(tail.count - closing.count)).contains { start in
                tail[start..<(start + closing.count)].elementsEqual(closing)
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
