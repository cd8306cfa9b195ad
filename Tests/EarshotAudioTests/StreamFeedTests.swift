import Foundation
import Testing

@testable import EarshotAudio

#if canImport(Glibc)
    import Glibc
#endif

/// `StreamFeed`, the pipe that gives libsndfile a WAV stream's head and then the rest of the stream.
@Suite struct StreamFeedTests {
    /// A feed whose copying thread has ended (its source ended) and which is released afterwards raises no
    /// SIGPIPE: the release's stop byte once went to a pipe whose reader the thread had already closed, which
    /// ended any program that does not ignore SIGPIPE (the fuzz harness found it; the `earshot` command ignores
    /// SIGPIPE, so it never showed there). SIGPIPE is left at its default here, so the bug ends the test run.
    @Test func releasingAFeedAfterItsSourceEndedRaisesNoSIGPIPE() throws {
        let previous = signal(SIGPIPE, SIG_DFL)
        defer { signal(SIGPIPE, previous) }
        for _ in 0..<20 {
            var source: [Int32] = [0, 0]
            #expect(pipe(&source) == 0)
            _ = close(source[1])  // the source ends at once: the thread copies the head and stops
            var received: [UInt8] = []
            do {
                let feed = try StreamFeed(head: [1, 2, 3], source: source[0], name: "<test>")
                var buffer = [UInt8](repeating: 0, count: 16)
                while case let got = read(feed.readEnd, &buffer, buffer.count), got > 0 {
                    received += buffer[..<got]
                }
                usleep(20_000)  // the thread, past its last write, closes what it owns
            }  // released here
            _ = close(source[0])
            #expect(received == [1, 2, 3])
        }
    }
}
