#if Server
    import Earshot
    import EarshotServer
    import Foundation
    import Logging
    import Testing

    /// The server under test: the shipped model (loaded once for every test) served on a free port of 127.0.0.1.
    enum TestServer {
        static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()

        static func audio(_ name: String) -> URL { repository.appendingPathComponent("Audio/\(name)") }

        /// The shipped model with its language model, as `earshot serve` loads it by default.
        static let recognizer: SpeechRecognizer = {
            try! SpeechRecognizer.load(model: repository.appendingPathComponent("Models/earshot-en.safetensors").path)
        }()

        /// Runs a server with `configuration`, calls `body` with its port on a thread of its own (the
        /// test clients block on sockets, which must not starve the cooperative pool the server runs on), then
        /// stops the server.
        static func with<T: Sendable>(
            _ configuration: SpeechServerConfiguration = .test, _ body: @escaping @Sendable (Int) throws -> T
        ) async throws -> T {
            var logger = Logger(label: "earshot.serve.test")
            logger.logLevel = .critical  // stopping a server by cancelling it logs errors of Hummingbird's
            let server = try SpeechServer(recognizer: recognizer, configuration: configuration, logger: logger)
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            let running = Task { try await server.run { port in continuation.yield(port) } }
            defer { running.cancel() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let result = try await onThread { try body(port) }
            running.cancel()
            _ = await running.result
            return result
        }
    }

    extension SpeechServerConfiguration {
        /// The defaults on a free port.
        static var test: SpeechServerConfiguration {
            var configuration = SpeechServerConfiguration()
            configuration.port = 0
            return configuration
        }

        /// A copy with one value changed.
        func with<Value>(_ field: WritableKeyPath<Self, Value>, _ value: Value) -> Self {
            var copy = self
            copy[keyPath: field] = value
            return copy
        }
    }

    /// Runs blocking code on a new thread and awaits its result.
    func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result(catching: body)) }
        }
    }

    /// The server tests, one at a time (they measure timeouts and fill queues, which a neighbour would disturb).
    @Suite(.serialized) enum ServerTests {}

    extension Data {
        /// The bytes of a WAV file's `data` chunk (16-bit PCM for the sample clips), found by walking the chunks.
        var wavPayload: Data {
            let bytes = [UInt8](self)
            var offset = 12
            while offset + 8 <= bytes.count {
                let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
                let size = bytes[(offset + 4)..<(offset + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
                if id == "data" { return Data(bytes[(offset + 8)..<Swift.min(bytes.count, offset + 8 + size)]) }
                offset += 8 + size + size % 2
            }
            return Data()
        }
    }
#endif
