#if Server
    import Foundation
    import HummingbirdWebSocket
    import Logging
    import NIOCore
    import NIOWebSocket

    /// One WebSocket stream in Vosk's protocol (`VoskProtocol`), from its slot to its close:
    /// 1. take a stream slot (`--max-streams`), else close with 1013 (try again later) or, while draining, 1001;
    /// 2. converse: each text message is a config, `eof` or `reset`, each binary message audio; every one is
    ///    decoded on a worker (`StreamDecoder`) and answered with one JSON message;
    /// 3. meanwhile a watchdog ends the stream when its client has sent nothing and read nothing for
    ///    `idleTimeoutSeconds`, when it has been open `maxStreamSeconds`, or when the server drains past
    ///    `drainSeconds`; then the last result is sent when the client still reads, and the stream is closed
    ///    (1008 for the limits, 1001 for the shutdown).
    ///
    /// Bad input closes only this stream, with a code and a reason: 1003 for a text message that is not one of
    /// the protocol's, 1009 for a message over `maxMessageBytes` (the WebSocket library's check), 1011 for a
    /// decoding failure. A client that vanishes ends the stream quietly (logged).
    struct StreamSession {
        let service: SpeechService

        /// How a stream ended (the `status` label of `earshot_requests_total{endpoint="stream"}`).
        enum Outcome: String {
            case ok, refused
            case badInput = "bad_input"
            case timeout
            case clientGone = "client_gone"
            case shutdown, error
        }

        /// Why the watchdog ended a stream.
        private enum Stop: Error {
            case idle, tooLong, shutdown
        }

        func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
            var logger = service.logger
            logger[metadataKey: "stream"] = "\(service.nextID())"
            if let refusal = service.openStream() {
                logger.info("stream refused", metadata: ["cause": "\(refusal)"])
                finish(.refused, logger: logger)
                let code: WebSocketErrorCode = service.isDraining ? .goingAway : .unknown(1013)
                try? await outbound.close(code, reason: Self.reason(refusal))
                return
            }
            defer { service.closeStream() }
            logger.info("stream opened", metadata: ["open_streams": "\(service.openStreams)"])
            let decoder = StreamDecoder(
                recognizer: service.recognizer, options: service.configuration.streaming,
                sampleRate: service.configuration.defaultStreamSampleRate)
            let activity = Locked(ContinuousClock.now)
            let outcome: Outcome
            do {
                outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
                    group.addTask {
                        try await converse(inbound: inbound, outbound: outbound, decoder: decoder, activity: activity)
                    }
                    group.addTask { try await watch(activity) }
                    defer { group.cancelAll() }
                    return try await group.next()!
                }
            } catch let stop as Stop {
                outcome = await stopped(stop, outbound: outbound, decoder: decoder, logger: logger)
            } catch let error as VoskProtocol.ProtocolError {
                logger.info("stream closed: bad message", metadata: ["cause": "\(error)"])
                outcome = .badInput
                try? await outbound.close(.unacceptableData, reason: Self.reason("\(error)"))
            } catch is CancellationError {
                outcome = .clientGone
            } catch let error where error is IOError || error is ChannelError {
                logger.info("stream ended: the client is gone", metadata: ["error": "\(error)"])
                outcome = .clientGone
            } catch {
                // The WebSocket library's own errors (a message over the limit, a protocol violation, a closed
                // connection) close the stream with their code when rethrown; ours are decoding failures.
                logger.info("stream ended by an error", metadata: ["error": "\(error)"])
                outcome = .error
                try? await outbound.close(.unexpectedServerError, reason: Self.reason("\(error)"))
            }
            finish(outcome, logger: logger, audioSeconds: decoder.audioSeconds)
        }

        /// Reads messages and answers each until `eof` (→ `.ok`) or the client leaves (→ `.clientGone`).
        private func converse(
            inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, decoder: StreamDecoder,
            activity: Locked<ContinuousClock.Instant>
        ) async throws -> Outcome {
            var messages = inbound.messages(maxSize: service.configuration.maxMessageBytes).makeAsyncIterator()
            while let message = try await messages.next() {
                activity.withLock { $0 = .now }
                let answer: String
                var last = false
                switch message {
                case .text(let text):
                    switch try VoskProtocol.parse(text) {
                    case .config(let config):
                        guard !decoder.started else {
                            throw VoskProtocol.ProtocolError(description: "config must come before the audio")
                        }
                        do {
                            try decoder.configure(config)
                        } catch {
                            throw VoskProtocol.ProtocolError(description: "phrase_list: \(error)")
                        }
                        continue  // vosk-server answers no config
                    case .endOfStream:
                        answer = try await decode(decoder) { try decoder.finish() }
                        last = true
                    case .reset:
                        answer = try await decode(decoder) { try decoder.finish() }
                    }
                case .binary(let audio):
                    answer = try await decode(
                        decoder, seconds: Double(audio.readableBytes / 2) / Double(decoder.sampleRate)
                    ) { try decoder.accept(audio) }
                }
                try await outbound.write(.text(answer))
                activity.withLock { $0 = .now }
                if last { return .ok }
            }
            return .clientGone
        }

        /// Runs `body` on a worker (the stream lane) and records its real-time factor.
        private func decode(
            _ decoder: StreamDecoder, seconds: Double = 0, _ body: @escaping @Sendable () throws -> String
        )
            async throws -> String
        {
            let started = ContinuousClock.now
            let answer = try await service.pool.run(.stream, body)
            service.metrics.decoded(
                endpoint: "stream", audioSeconds: seconds, decodingSeconds: (ContinuousClock.now - started).seconds)
            return answer
        }

        /// Throws `Stop` when the stream must end; checks four times a second.
        private func watch(_ activity: Locked<ContinuousClock.Instant>) async throws -> Outcome {
            let configuration = service.configuration
            let opened = ContinuousClock.now
            let idle = Duration.milliseconds(Int64(configuration.idleTimeoutSeconds * 1000))
            let total = Duration.milliseconds(Int64(configuration.maxStreamSeconds * 1000))
            while true {
                try await Task.sleep(for: .milliseconds(250))
                let now = ContinuousClock.now
                if now - activity.current > idle { throw Stop.idle }
                if now - opened > total { throw Stop.tooLong }
                if let deadline = service.drainDeadline, now > deadline { throw Stop.shutdown }
            }
        }

        /// Ends a stream the watchdog stopped: its last result (when the client still reads, within a second),
        /// then the close frame.
        private func stopped(_ stop: Stop, outbound: WebSocketOutboundWriter, decoder: StreamDecoder, logger: Logger)
            async -> Outcome
        {
            let configuration = service.configuration
            let (code, reason, outcome): (WebSocketErrorCode, String, Outcome)
            switch stop {
            case .idle:
                (code, reason, outcome) = (
                    .policyViolation, "idle for \(Int(configuration.idleTimeoutSeconds)) s (no message sent or read)",
                    .timeout
                )
            case .tooLong:
                (code, reason, outcome) = (
                    .policyViolation, "the stream reached the limit of \(Int(configuration.maxStreamSeconds)) s",
                    .timeout
                )
            case .shutdown:
                (code, reason, outcome) = (.goingAway, "the server is shutting down", .shutdown)
            }
            logger.info("stream stopped", metadata: ["cause": "\(reason)"])
            await Self.withinOneSecond {
                if stop != .idle, let last = try? await service.pool.run(.stream, { try decoder.finish() }) {
                    try? await outbound.write(.text(last))
                }
                try? await outbound.close(code, reason: reason)
            }
            return outcome
        }

        /// Runs `body`, giving up on it after a second (a client that reads nothing blocks writes for good).
        private static func withinOneSecond(_ body: @escaping @Sendable () async -> Void) async {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await body() }
                group.addTask { try? await Task.sleep(for: .seconds(1)) }
                await group.next()
                group.cancelAll()
            }
        }

        private func finish(_ outcome: Outcome, logger: Logger, audioSeconds: Double = 0) {
            service.metrics.request(endpoint: "stream", status: outcome.rawValue)
            if outcome != .ok { service.metrics.error(endpoint: "stream", kind: outcome.rawValue) }
            logger.info(
                "stream closed", metadata: ["outcome": "\(outcome.rawValue)", "audio_seconds": "\(audioSeconds)"])
        }

        /// A close reason: at most 123 bytes of UTF-8 (the WebSocket limit).
        private static func reason(_ text: String) -> String {
            var reason = text
            while reason.utf8.count > 123 { reason.removeLast() }
            return reason
        }
    }
#endif
