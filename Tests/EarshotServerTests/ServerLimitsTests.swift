#if Server
    import Earshot
    import Foundation
    import Testing

    @testable import EarshotServer

    extension ServerTests {
        /// The limits, each with its answer, and the server serving others all along: upload size (413), the decoding
        /// queue (429), stream slots (429 at the upgrade), a client that vanishes mid-stream, one that never reads.
        @Suite struct ServerLimitsTests {
            @Test func uploadOverTheLimitIs413() async throws {
                try await TestServer.with(.test.with(\.maxUploadBytes, 32 * 1024)) { port in
                    let response = try ServerTests.TranscriptionEndpointTests.upload(port: port)
                    #expect(response.status == 413)
                    #expect(response.errorMessage.contains("32768"))
                    // Without a Content-Length (chunked), the limit is found while reading.
                    var form = MultipartBody()
                    form.field("model", "x")
                    form.file("file", filename: "fox.wav", ServerTests.TranscriptionEndpointTests.fox)
                    let socket = try LoopbackSocket(port: port)
                    try socket.send(
                        HTTPExchange.head(
                            method: "POST", path: "/v1/audio/transcriptions",
                            headers: [("Content-Type", form.contentType), ("Transfer-Encoding", "chunked")],
                            bodyLength: nil))
                    let body = form.closed
                    try socket.send(
                        Array(String(body.count, radix: 16).utf8) + [13, 10] + [UInt8](body)
                            + Array("\r\n0\r\n\r\n".utf8))
                    let chunked = try HTTPExchange.parse(socket.receiveAll())
                    #expect(chunked.status == 413)
                }
            }

            /// One worker and no queue: of uploads sent at once, those that find the worker busy get 429 with OpenAI's
            /// rate-limit error; the others are transcribed.
            @Test func fullQueueIs429() async throws {
                let audio = try Data(contentsOf: TestServer.audio("asterisk-vm-intro-8k.wav"))
                try await TestServer.with(.test.with(\.workers, 1).with(\.queueLimit, 0)) { port in
                    let responses = Locked<[HTTPExchange.Response]>([])
                    DispatchQueue.concurrentPerform(iterations: 6) { _ in
                        if let response = try? ServerTests.TranscriptionEndpointTests.upload(port: port, audio: audio) {
                            responses.withLock { $0.append(response) }
                        }
                    }
                    let statuses = responses.current
                    #expect(statuses.count == 6)
                    #expect(statuses.contains { $0.status == 200 })
                    let refused = statuses.filter { $0.status == 429 }
                    #expect(!refused.isEmpty, "\(statuses.map(\.status))")
                    #expect(refused.allSatisfy { $0.error?["code"] as? String == "rate_limit_exceeded" })
                }
            }

            /// With one stream slot taken, another stream is closed at once with 1013 (try again later); once the stream ends, the slot is free again.
            @Test func streamSlotsAreLimited() async throws {
                try await TestServer.with(.test.with(\.maxStreams, 1)) { port in
                    let first = try WebSocketTestClient(port: port)
                    try first.sendBinary([0, 0])
                    _ = try first.receiveJSON()
                    let second = try WebSocketTestClient(port: port)
                    guard case .close(let code, let reason)? = try second.receive() else {
                        Issue.record("a second stream was not closed")
                        return
                    }
                    #expect(code == 1013)
                    #expect(reason.contains("1 streams are open (--max-streams)"), "\(reason)")
                    try first.sendText(#"{"eof": 1}"#)
                    _ = try first.receiveJSON()
                    _ = try first.receive()
                    try Self.waitUntilNoStreams(port: port)
                    let again = try WebSocketTestClient(port: port)
                    try again.sendText(#"{"eof": 1}"#)
                    #expect(try again.receiveJSON()["text"] as? String == "")
                }
            }

            /// A client that resets its connection mid-stream: the stream ends (slot freed), the others are served.
            @Test func vanishingClientFreesItsStream() async throws {
                try await TestServer.with { port in
                    let client = try WebSocketTestClient(port: port)
                    let pcm = ServerTests.StreamingEndpointTests.intro
                    try client.sendBinary([UInt8](pcm.prefix(8000)))
                    _ = try client.receiveJSON()
                    try client.sendBinary([UInt8](pcm.dropFirst(8000).prefix(8000)))
                    client.socket.close(reset: true)
                    try Self.waitUntilNoStreams(port: port)
                    let answers = try ServerTests.StreamingEndpointTests.stream(
                        try WebSocketTestClient(port: port), pcm)
                    #expect(answers.last?["text"] is String)
                    let metrics = try HTTPExchange.send(port: port, method: "GET", path: "/metrics").text
                    #expect(
                        metrics.contains(#"earshot_requests_total{endpoint="stream",status="client_gone"} 1"#),
                        "\(metrics)")
                }
            }

            /// A client that sends and never reads: once the server's writes to it block, nothing moves for the idle
            /// time and the stream is closed; a client that goes silent is closed the same way; another client is
            /// served meanwhile.
            @Test func clientsThatNeverReadAreClosed() async throws {
                try await TestServer.with(.test.with(\.idleTimeoutSeconds, 1).with(\.streamSendBufferBytes, 4096)) {
                    port in
                    let silent = try WebSocketTestClient(port: port)
                    try silent.sendBinary([UInt8](ServerTests.StreamingEndpointTests.intro.prefix(8000)))
                    _ = try silent.receiveJSON()
                    let started = Date()
                    guard case .close(let code, let reason)? = try silent.receive() else {
                        Issue.record("expected a close frame")
                        return
                    }
                    #expect(code == 1008)
                    #expect(reason.contains("idle"))
                    #expect(Date().timeIntervalSince(started) < 5)

                    let flooder = try WebSocketTestClient(port: port, receiveBuffer: 4096)
                    flooder.socket.setTimeouts(seconds: 0.5)
                    // Small audio messages in batches: each is answered, and the answers pile up unread.
                    let batch = (0..<1000).flatMap { _ in WebSocketTestClient.frame(opcode: 2, [1, 1]) }
                    let deadline = Date().addingTimeInterval(30)
                    var cut = false
                    while Date() < deadline {
                        do {
                            try flooder.socket.send(batch)
                        } catch {
                            // The send buffer stays full once the server stops reading: the connection is done when the
                            // server has closed it (a reset or broken pipe), not merely blocked.
                            if let failure = error as? LoopbackSocket.Failure, failure.description.contains("errno 11")
                            {
                                continue
                            }
                            cut = true
                            break
                        }
                    }
                    #expect(cut, "the server never closed a client that does not read")

                    let answers = try ServerTests.StreamingEndpointTests.stream(
                        try WebSocketTestClient(port: port), ServerTests.StreamingEndpointTests.intro)
                    #expect(answers.last?["text"] is String)
                }
            }

            static func waitUntilNoStreams(port: Int) throws {
                for _ in 0..<100 {
                    let health = try HTTPExchange.send(port: port, method: "GET", path: "/health")
                    if health.json["open_streams"] as? Int == 0 { return }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                Issue.record("streams still open after 5 s")
            }
        }
    }
#endif
