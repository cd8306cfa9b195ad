#if Server
    import Hummingbird
    import HummingbirdWebSocket
    import NIOCore

    /// The request context of WebSocket upgrades: Hummingbird's, and the connection (`StreamConnection`) that
    /// holds the handler reference hummingbird-websocket fills in and the connection's channel.
    struct StreamRequestContext: RequestContext, WebSocketRequestContext {
        var coreContext: CoreRequestContextStorage
        let connection: StreamConnection

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            connection = StreamConnection(channel: source.channel)
        }

        var webSocket: WebSocketHandlerReference<StreamRequestContext> { connection.webSocket }
    }

    /// What a WebSocket connection's request context refers to, kept so that nothing outlives the connection.
    ///
    /// hummingbird-websocket (2.8.1) stores the handler a route chose together with a copy of the request context
    /// in that context's own `webSocket` reference: a reference cycle, which would keep every connection's
    /// context — its logger, and whatever else it holds — allocated for ever (measured: about 0.5 KB a connection,
    /// and with the channel in the context its buffers too, 6–15 KB). Here the reference is dropped when the
    /// stream ends (`release`), which breaks the cycle, and the channel is held weakly, so a connection whose
    /// stream never starts (its client left during the upgrade) keeps at most the small reference alive, never the
    /// channel.
    final class StreamConnection: Sendable {
        private let state: Locked<State>

        /// How many connections' contexts are allocated now (each is counted from its upgrade until it is freed).
        static let allocated = Locked(0)

        private struct State {
            var webSocket = WebSocketHandlerReference<StreamRequestContext>()
            weak var channel: (any Channel)?
        }

        init(channel: any Channel) {
            state = Locked(State(channel: channel))
            Self.allocated.withLock { $0 += 1 }
        }

        deinit { Self.allocated.withLock { $0 -= 1 } }

        /// The reference the WebSocket router fills in with the route's handler (an empty one after `release`).
        var webSocket: WebSocketHandlerReference<StreamRequestContext> { state.current.webSocket }

        /// The connection's channel, while it is open.
        var channel: (any Channel)? { state.current.channel }

        /// Drops the handler reference (and with it the cycle through this connection's context); called when the
        /// stream's handler returns.
        func release() {
            state.withLock { $0.webSocket = WebSocketHandlerReference() }
        }
    }
#endif
