#if Server
    import EarshotTestSupport
    import Foundation
    import Testing

    extension ServerTests {
        /// `earshot serve` as a process: it logs where it listens, and SIGTERM drains it — an upload in flight is
        /// answered, new work is refused (503), an open stream gets its last result and close 1001 after
        /// `--drain-seconds` — then it exits 0.
        @Suite struct ServeCommandTests {
            /// A running `earshot serve` and its standard error, collected by a thread.
            final class ServerProcess: @unchecked Sendable {
                let process = Process()
                private let lock = NSLock()
                private var log = ""

                init(arguments: [String]) throws {
                    process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("earshot")
                    process.arguments = ["serve", "--port", "0"] + arguments
                    process.currentDirectoryURL = TestServer.repository
                    let pipe = Pipe()
                    process.standardError = pipe
                    process.standardOutput = FileHandle.nullDevice
                    try process.run()
                    Thread.detachNewThread { [self] in
                        while true {
                            let data = pipe.fileHandleForReading.availableData
                            if data.isEmpty { return }
                            lock.withLock { log += String(decoding: data, as: UTF8.self) }
                        }
                    }
                }

                var stderr: String { lock.withLock { log } }

                /// The port from the "listening" log line, waiting up to 60 s for it.
                func port() throws -> Int {
                    for _ in 0..<600 {
                        if let range = stderr.range(of: #"port=\d+"#, options: .regularExpression) {
                            return Int(stderr[range].dropFirst(5))!
                        }
                        guard process.isRunning else { break }
                        Thread.sleep(forTimeInterval: 0.1)
                    }
                    throw LoopbackSocket.Failure(description: "no port logged:\n\(stderr)")
                }

                /// Waits up to `seconds` for the process to end; its status, or nil if it is still running (then killed).
                func waitForExit(seconds: Double) -> Int32? {
                    let deadline = Date().addingTimeInterval(seconds)
                    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
                    guard !process.isRunning else {
                        kill(process.processIdentifier, SIGKILL)
                        return nil
                    }
                    return process.terminationStatus
                }
            }

            @Test func sigtermDrainsAndExitsZero() throws {
                let server = try ServerProcess(arguments: ["--drain-seconds", "2", "--workers", "1"])
                let port = try server.port()

                let stream = try WebSocketTestClient(port: port)
                try stream.sendBinary([UInt8](ServerTests.StreamingEndpointTests.intro.prefix(16000)))
                _ = try stream.receiveJSON()

                // An upload whose body is half sent when SIGTERM arrives.
                var form = MultipartBody()
                form.field("model", "x")
                form.file("file", filename: "fox.wav", ServerTests.TranscriptionEndpointTests.fox)
                let body = [UInt8](form.closed)
                let upload = try LoopbackSocket(port: port)
                try upload.send(
                    HTTPExchange.head(
                        method: "POST", path: "/v1/audio/transcriptions", headers: [("Content-Type", form.contentType)],
                        bodyLength: body.count) + body.prefix(body.count / 2))
                Thread.sleep(forTimeInterval: 0.3)
                kill(server.process.processIdentifier, SIGTERM)
                Thread.sleep(forTimeInterval: 0.3)
                try upload.send(Array(body.dropFirst(body.count / 2)))
                let answered = try HTTPExchange.parse(upload.receiveAll())
                #expect(answered.status == 200, "\(answered.text)\n\(server.stderr)")
                #expect(((answered.json["text"] as? String) ?? "").contains("quick"))

                let refused = try ServerTests.TranscriptionEndpointTests.upload(port: port)
                #expect(refused.status == 503, "\(refused.text)")
                #expect(refused.error?["code"] as? String == "shutting_down")

                // The open stream: its last result, then "going away".
                let last = try stream.receiveJSON()
                #expect(last["text"] is String)
                #expect(try stream.receive() == .close(code: 1001, reason: "the server is shutting down"))

                #expect(server.waitForExit(seconds: 15) == 0, "\(server.stderr)")
                #expect(server.stderr.contains("draining"))
            }

            @Test func badOptionsAreUsageErrors() throws {
                let result = try CommandRunner.run("earshot", ["serve", "--workers", "0"])
                #expect(result.status == 64)
                #expect(result.stderr.contains("workers must be 1…256, got 0"), "\(result.stderr)")
                let help = try CommandRunner.run("earshot", ["serve", "--help"])
                for option in [
                    "--host", "--port", "--model", "--max-streams", "--workers", "--beam", "--hotword", "--chunk-steps",
                ] {
                    #expect(help.stdoutText.contains(option), "\(option)")
                }
                #expect(help.stdoutText.contains("(default: 127.0.0.1)"))
            }
        }
    }
#endif
