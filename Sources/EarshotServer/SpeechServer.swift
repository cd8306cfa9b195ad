#if Server
    import Earshot
    import Foundation
    import Hummingbird
    import HummingbirdWebSocket
    import Logging
    import NIOCore
    import ServiceLifecycle

    /// Earshot's speech server (`earshot serve`), on Hummingbird:
    /// - `POST /v1/audio/transcriptions`: OpenAI's transcription API (`TranscriptionEndpoint`);
    /// - WebSocket at `/`: vosk-server's streaming protocol (`StreamSession`); a plain `GET /` says how to use it;
    /// - `GET /health`: 200 `{"status": "ok", …}` while serving, 503 while draining;
    /// - `GET /metrics`: Prometheus (`ServerMetrics`).
    ///
    /// One `SpeechRecognizer` (weights and language model) serves every request; each upload and stream has its
    /// own state; decoding runs on `configuration.workers` threads of its own (`DecodingPool`), never on the
    /// event loops. SIGTERM or SIGINT drain it (`run`).
    public struct SpeechServer: Sendable {
        let service: SpeechService

        /// - Throws: `SpeechServerConfigurationError` for a configuration that cannot work.
        public init(recognizer: SpeechRecognizer, configuration: SpeechServerConfiguration, logger: Logger) throws {
            try configuration.validate()
            service = SpeechService(recognizer: recognizer, configuration: configuration, logger: logger)
        }

        /// Serves until SIGTERM or SIGINT (or until the task is cancelled), then drains: new uploads and streams are
        /// refused (503, 1001), uploads in flight finish, open streams may go on for `drainSeconds` and then get
        /// their last result and a close; it returns when all are done. `onRunning` gets the bound port (useful
        /// with port 0).
        public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
            let configuration = service.configuration
            let logger = service.logger
            let app = Application(
                router: httpRouter(),
                server: .http1WebSocketUpgrade(
                    webSocketRouter: webSocketRouter(),
                    configuration: .init(
                        http1: .init(idleTimeout: .milliseconds(Int64(configuration.idleTimeoutSeconds * 1000))),
                        ws: .init(maxFrameSize: configuration.maxMessageBytes, closeTimeout: .seconds(5)))),
                configuration: .init(
                    address: .hostname(configuration.host, port: configuration.port), serverName: "earshot"),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? configuration.port
                    logger.notice(
                        "listening",
                        metadata: [
                            "host": "\(configuration.host)", "port": "\(port)",
                            "workers": "\(configuration.workers)", "max_streams": "\(configuration.maxStreams)",
                            "decoding": "\(service.recognizer.decoding.summary)",
                        ])
                    await onRunning(port)
                },
                logger: logger)
            // Shut down in reverse order: first the drain (refuse new work, let streams end), then the HTTP server
            // (stop accepting, finish the requests in flight).
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: app), .init(service: StreamDrain(service: service))],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            defer { service.pool.stop() }
            try await group.run()
            logger.notice("stopped")
        }

        private func httpRouter() -> Router<BasicRequestContext> {
            let router = Router()
            let service = self.service
            router.add(middleware: APIErrorMiddleware())
            let transcriptions = TranscriptionEndpoint(service: service)
            router.post("/v1/audio/transcriptions") { request, context in
                try await transcriptions.respond(request, context: context)
            }
            router.get("/health") { _, _ -> Response in
                let body =
                    "{\"status\": \"\(service.isDraining ? "draining" : "ok")\", \"open_streams\": \(service.openStreams)}"
                return Response(
                    status: service.isDraining ? .serviceUnavailable : .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: body)))
            }
            router.get("/metrics") { _, _ -> Response in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                    body: .init(byteBuffer: ByteBuffer(string: service.metrics.exposition(pool: service.pool))))
            }
            router.get("/") { _, _ -> Response in
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(
                        byteBuffer: ByteBuffer(
                            string:
                                "earshot: open a WebSocket here (Vosk's protocol) or POST /v1/audio/transcriptions\n")))
            }
            return router
        }

        private func webSocketRouter() -> Router<StreamRequestContext> {
            let router = Router(context: StreamRequestContext.self)
            let session = StreamSession(service: service)
            let sendBuffer = service.configuration.streamSendBufferBytes
            // Every upgrade is accepted: a stream without a slot is closed at once with a code and a reason
            // (Hummingbird answers a declined upgrade with a bare 400, which would say nothing).
            router.ws("/") { inbound, outbound, context in
                let connection = context.requestContext.connection
                defer { connection.release() }
                if let sendBuffer, let channel = connection.channel {
                    try? await channel.setOption(
                        ChannelOptions.socketOption(.so_sndbuf), value: SocketOptionValue(sendBuffer)
                    ).get()
                }
                try await session.serve(inbound: inbound, outbound: outbound)
            }
            return router
        }
    }

    /// The first service to shut down: refuses new work (`SpeechService.startDraining`), then waits until the open
    /// streams have ended (they end by themselves at the drain deadline, see `StreamSession`).
    struct StreamDrain: Service {
        let service: SpeechService

        func run() async throws {
            do {
                try await gracefulShutdown()
            } catch {
                return  // cancelled: the server is stopping without a drain
            }
            service.startDraining()
            service.logger.notice(
                "draining",
                metadata: [
                    "open_streams": "\(service.openStreams)",
                    "deadline_seconds": "\(service.configuration.drainSeconds)",
                ])
            let giveUp = ContinuousClock.now + .milliseconds(Int64(service.configuration.drainSeconds * 1000) + 3000)
            while service.openStreams > 0 && ContinuousClock.now < giveUp {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }
#endif
