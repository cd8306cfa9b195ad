#if Server
    import Foundation
    import Testing

    @testable import EarshotServer

    extension ServerTests {
        /// A WebSocket connection's request context is freed when its stream ends: hummingbird-websocket keeps the
        /// route's handler with a copy of the context inside the context's own handler reference (a reference
        /// cycle), which `StreamConnection.release` breaks; without it every connection stayed allocated, its
        /// channel's buffers too, and a server's memory grew with each stream it had served.
        @Suite struct ConnectionLifetimeTests {
            @Test func endedStreamsLeaveNoConnectionBehind() async throws {
                let before = StreamConnection.allocated.current
                try await TestServer.with { port in
                    for index in 0..<20 {
                        let client = try WebSocketTestClient(port: port)
                        if index % 2 == 0 {
                            try client.sendBinary([UInt8](ServerTests.StreamingEndpointTests.intro.prefix(8000)))
                            _ = try client.receiveJSON()
                        }
                        try client.sendText(#"{"eof" : 1}"#)
                        _ = try client.receiveJSON()
                        try client.sendClose()
                        client.socket.close()
                    }
                    try ServerTests.ServerLimitsTests.waitUntilNoStreams(port: port)
                }
                var left = StreamConnection.allocated.current - before
                for _ in 0..<100 where left > 0 {
                    try await Task.sleep(for: .milliseconds(50))
                    left = StreamConnection.allocated.current - before
                }
                #expect(left == 0, "\(left) of 20 connections are still allocated after their streams ended")
            }
        }
    }
#endif
