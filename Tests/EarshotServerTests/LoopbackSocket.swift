#if Server
    import Foundation

    #if canImport(Glibc)
        import Glibc
    #endif

    /// A TCP connection to the server under test on 127.0.0.1, written byte by byte as the tests need (a body cut
    /// short, a client that never reads, one that vanishes), with timeouts so that no test can hang.
    final class LoopbackSocket {
        private(set) var fd: Int32
        /// Bytes received and not yet consumed.
        var pending: [UInt8] = []

        struct Failure: Error, CustomStringConvertible {
            var description: String
        }

        /// Connects to `port`; `receiveBuffer` (bytes) shrinks the socket's receive buffer, set before connecting.
        init(port: Int, receiveBuffer: Int32? = nil) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
            if var size = receiveBuffer {
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                Glibc.close(fd)
                throw Failure(description: "connect to port \(port): errno \(errno)")
            }
            setTimeouts(seconds: 30)
        }

        deinit { close() }

        /// Send and receive timeouts: a blocked call fails after this long.
        func setTimeouts(seconds: Double) {
            var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        }

        func send(_ bytes: [UInt8]) throws {
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL))
                }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
                done += n
            }
        }

        func send(_ data: Data) throws { try send([UInt8](data)) }
        func send(_ text: String) throws { try send(Array(text.utf8)) }

        /// Reads more bytes into `pending`; false at the end of the stream (or a reset).
        @discardableResult
        func receiveMore() throws -> Bool {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    throw Failure(description: "receive timed out")
                }
                if n < 0 && errno == ECONNRESET { return false }
                guard n >= 0 else { throw Failure(description: "recv: errno \(errno)") }
                if n == 0 { return false }
                pending += buffer[..<n]
                return true
            }
        }

        /// Everything until the server closes the connection.
        func receiveAll() throws -> [UInt8] {
            while try receiveMore() {}
            defer { pending = [] }
            return pending
        }

        /// Takes `count` bytes, reading as needed.
        func take(_ count: Int) throws -> [UInt8] {
            while pending.count < count {
                guard try receiveMore() else {
                    throw Failure(description: "connection closed after \(pending.count) bytes")
                }
            }
            defer { pending.removeFirst(count) }
            return Array(pending[..<count])
        }

        /// Closes the connection; with `reset`, abruptly (RST instead of FIN), as a client that crashes.
        func close(reset: Bool = false) {
            guard fd >= 0 else { return }
            if reset {
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            }
            Glibc.close(fd)
            fd = -1
        }
    }
#endif
