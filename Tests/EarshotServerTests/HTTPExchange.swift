#if Server
    import Foundation

    /// An HTTP/1.1 request written by hand over a `LoopbackSocket` (`Connection: close`) and its response.
    struct HTTPExchange {
        struct Response {
            var status: Int
            var headers: [String: String]
            var body: Data
            var text: String { String(decoding: body, as: UTF8.self) }
            var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
            /// The OpenAI error object's fields, `{"error": {…}}`.
            var error: [String: Any]? { json["error"] as? [String: Any] }
            /// The error object's message, or "".
            var errorMessage: String { (error?["message"] as? String) ?? "" }
        }

        /// Sends a request and reads the whole response.
        static func send(
            port: Int, method: String, path: String, headers: [(String, String)] = [], body: Data = Data()
        ) throws -> Response {
            let socket = try LoopbackSocket(port: port)
            try socket.send(head(method: method, path: path, headers: headers, bodyLength: body.count) + [UInt8](body))
            return try parse(socket.receiveAll())
        }

        static func head(method: String, path: String, headers: [(String, String)], bodyLength: Int?) -> [UInt8] {
            var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            if let bodyLength { text += "Content-Length: \(bodyLength)\r\n" }
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            return Array((text + "\r\n").utf8)
        }

        /// Status, headers and body of a response read until the connection closed (chunked bodies decoded).
        static func parse(_ bytes: [UInt8]) throws -> Response {
            let separator: [UInt8] = Array("\r\n\r\n".utf8)
            guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator })
            else {
                throw LoopbackSocket.Failure(description: "no HTTP response head in \(bytes.count) bytes")
            }
            let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
            let status = Int(lines[0].split(separator: " ")[1]) ?? 0
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
            var body = Array(bytes[(end + 4)...])
            if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunked(body) }
            return Response(status: status, headers: headers, body: Data(body))
        }

        private static func dechunked(_ bytes: [UInt8]) -> [UInt8] {
            var result: [UInt8] = [], i = 0
            while i < bytes.count {
                var j = i
                while j + 1 < bytes.count && !(bytes[j] == 13 && bytes[j + 1] == 10) { j += 1 }
                guard let size = Int(String(decoding: bytes[i..<j], as: UTF8.self), radix: 16), size > 0 else { break }
                result += bytes[(j + 2)..<min(bytes.count, j + 2 + size)]
                i = j + 2 + size + 2
            }
            return result
        }
    }

    /// A `multipart/form-data` body built by hand.
    struct MultipartBody {
        let boundary = "earshot-test-\(UUID().uuidString)"
        var data = Data()

        var contentType: String { "multipart/form-data; boundary=\(boundary)" }

        mutating func field(_ name: String, _ value: String) {
            data += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }

        mutating func file(_ name: String, filename: String, _ bytes: Data) {
            data += Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8)
            data += bytes + Data("\r\n".utf8)
        }

        /// The body with its closing delimiter.
        var closed: Data { data + Data("--\(boundary)--\r\n".utf8) }
    }
#endif
