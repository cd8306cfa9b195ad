#if Server
    import Foundation

    /// A WebSocket client over a `LoopbackSocket` (RFC 6455, written out here so tests can also send what no
    /// library would): the opening handshake, masked frames out, unmasked frames in.
    final class WebSocketTestClient {
        let socket: LoopbackSocket

        enum Frame: Equatable {
            case text(String)
            case binary([UInt8])
            /// The close frame's code and reason.
            case close(code: Int, reason: String)
            case other(opcode: UInt8)
        }

        /// Connects and upgrades; throws with the HTTP response when the server refuses the upgrade.
        init(port: Int, receiveBuffer: Int32? = nil) throws {
            socket = try LoopbackSocket(port: port, receiveBuffer: receiveBuffer)
            try socket.send(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            // The response head ends at the first blank line; frames may follow in the same read.
            while true {
                if let end = Self.headEnd(socket.pending) {
                    let head = String(decoding: socket.pending[..<end], as: UTF8.self)
                    socket.pending.removeFirst(end + 4)
                    guard head.hasPrefix("HTTP/1.1 101") else {
                        let rest = try socket.receiveAll()
                        throw Refused(response: try HTTPExchange.parse(Array((head + "\r\n\r\n").utf8) + rest))
                    }
                    return
                }
                guard try socket.receiveMore() else {
                    throw LoopbackSocket.Failure(description: "closed during the handshake")
                }
            }
        }

        /// The server answered the upgrade with an HTTP error.
        struct Refused: Error {
            var response: HTTPExchange.Response
        }

        private static func headEnd(_ bytes: [UInt8]) -> Int? {
            guard bytes.count >= 4 else { return nil }
            return (0...(bytes.count - 4)).first {
                bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10
            }
        }

        func sendText(_ text: String) throws { try send(opcode: 1, Array(text.utf8)) }
        func sendBinary(_ bytes: [UInt8]) throws { try send(opcode: 2, bytes) }
        func sendClose(code: UInt16 = 1000) throws { try send(opcode: 8, [UInt8(code >> 8), UInt8(code & 0xFF)]) }

        /// One frame, FIN set, masked as a client must.
        func send(opcode: UInt8, _ payload: [UInt8]) throws { try socket.send(Self.frame(opcode: opcode, payload)) }

        /// The bytes of a client frame: FIN, `opcode`, the masked `payload`.
        static func frame(opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
            var frame: [UInt8] = [0x80 | opcode]
            if payload.count < 126 {
                frame.append(0x80 | UInt8(payload.count))
            } else if payload.count < 65536 {
                frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
            } else {
                frame.append(0x80 | 127)
                for shift in stride(from: 56, through: 0, by: -8) {
                    frame.append(UInt8((payload.count >> shift) & 0xFF))
                }
            }
            let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
            frame += mask
            frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
            return frame
        }

        /// The next frame from the server (pings skipped), or nil when the connection closed without one.
        func receive() throws -> Frame? {
            while socket.pending.count < 2 {
                guard try socket.receiveMore() else { return nil }
            }
            let header = try socket.take(2)
            let opcode = header[0] & 0x0F
            var length = Int(header[1] & 0x7F)
            if length == 126 {
                let bytes = try socket.take(2)
                length = Int(bytes[0]) << 8 | Int(bytes[1])
            } else if length == 127 {
                length = try socket.take(8).reduce(0) { $0 << 8 | Int($1) }
            }
            let payload = try socket.take(length)
            switch opcode {
            case 1: return .text(String(decoding: payload, as: UTF8.self))
            case 2: return .binary(payload)
            case 8:
                let code = payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005
                return .close(code: code, reason: String(decoding: payload.dropFirst(2), as: UTF8.self))
            case 9, 10: return try receive()
            default: return .other(opcode: opcode)
            }
        }

        /// The next text frame as a JSON object (fails the caller with the frame it got instead).
        func receiveJSON() throws -> [String: Any] {
            guard case .text(let text)? = try receive() else {
                throw LoopbackSocket.Failure(description: "expected a text frame")
            }
            guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw LoopbackSocket.Failure(description: "not a JSON object: \(text)")
            }
            return object
        }
    }
#endif
