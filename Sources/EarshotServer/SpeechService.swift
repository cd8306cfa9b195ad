#if Server
    import Earshot
    import Foundation
    import Logging

    /// What every route of the server shares: the recognizer (weights and language model, loaded once), the
    /// decoding workers, the limits, the metrics, the count of open streams and whether the server is draining.
    final class SpeechService: Sendable {
        let recognizer: SpeechRecognizer
        let configuration: SpeechServerConfiguration
        let pool: DecodingPool
        let metrics = ServerMetrics()
        let logger: Logger
        private let state = Locked(State())

        private struct State {
            var openStreams = 0
            /// Set at SIGTERM (`startDraining`): when streams still open must end.
            var drainDeadline: ContinuousClock.Instant?
            var nextID = 0
        }

        init(recognizer: SpeechRecognizer, configuration: SpeechServerConfiguration, logger: Logger) {
            self.recognizer = recognizer
            self.configuration = configuration
            self.logger = logger
            pool = DecodingPool(workers: configuration.workers, queueLimit: configuration.queueLimit)
        }

        /// A number for the logs of one request or stream.
        func nextID() -> Int {
            state.withLock {
                $0.nextID += 1; return $0.nextID
            }
        }

        var openStreams: Int { state.current.openStreams }

        /// Takes a stream slot, or says why not: the server is draining, or `maxStreams` are open.
        func openStream() -> String? {
            state.withLock { state in
                if state.drainDeadline != nil { return "the server is shutting down" }
                guard state.openStreams < configuration.maxStreams else {
                    return "the server is busy: \(state.openStreams) streams are open (--max-streams)"
                }
                state.openStreams += 1
                metrics.activeStreams.set(Double(state.openStreams))
                return nil
            }
        }

        func closeStream() {
            state.withLock { state in
                state.openStreams -= 1
                metrics.activeStreams.set(Double(state.openStreams))
            }
        }

        /// Refuses new uploads and streams from now on; open streams may go on for `drainSeconds`.
        func startDraining() {
            state.withLock { state in
                if state.drainDeadline == nil {
                    state.drainDeadline = .now + .milliseconds(Int64(configuration.drainSeconds * 1000))
                }
            }
        }

        var drainDeadline: ContinuousClock.Instant? { state.current.drainDeadline }
        var isDraining: Bool { drainDeadline != nil }
    }
#endif
