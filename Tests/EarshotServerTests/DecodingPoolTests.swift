#if Server
    import Foundation
    import Testing

    @testable import EarshotServer

    extension ServerTests {
        /// The decoding pool's queue: first in, first out; a job is released as soon as it is taken, whatever is
        /// still waiting (a server under steady load never empties its queue, and each job holds its audio).
        @Suite struct DecodingPoolTests {
            final class Audio {}

            @Test func jobsAreTakenInOrderAndReleasedWhenTaken() {
                var queue = JobQueue()
                var order: [Int] = []
                weak var firstAudio: Audio?
                do {
                    let audio = Audio()
                    firstAudio = audio
                    queue.append {
                        _ = audio; order.append(0)
                    }
                }
                for i in 1..<200 { queue.append { order.append(i) } }
                #expect(queue.count == 200)
                queue.popFirst()?()
                #expect(firstAudio == nil, "the job taken still holds its audio")
                // Steady load: one job in for each taken, so the queue never empties.
                for i in 200..<1000 {
                    queue.popFirst()?()
                    queue.append { order.append(i) }
                }
                while let job = queue.popFirst() { job() }
                #expect(order == Array(0..<1000))
                #expect(queue.count == 0)
            }

            @Test func uploadsBeyondTheQueueAreRefusedAndStreamsGoFirst() async throws {
                let pool = DecodingPool(workers: 1, queueLimit: 1)
                defer { pool.stop() }
                let gate = DispatchSemaphore(value: 0)
                let order = Locked<[String]>([])
                async let blocker: Void = pool.run(.upload) { gate.wait() }
                while pool.load.running == 0 { try await Task.sleep(for: .milliseconds(5)) }
                async let upload: Void = pool.run(.upload) { order.withLock { $0.append("upload") } }
                while pool.load.uploadsWaiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
                await #expect(throws: DecodingPoolError.full(waiting: 1)) {
                    try await pool.run(.upload) {}
                }
                async let chunk: Void = pool.run(.stream) { order.withLock { $0.append("stream") } }
                while pool.load.streamChunksWaiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
                gate.signal()
                _ = try await (blocker, upload, chunk)
                #expect(order.current == ["stream", "upload"])
            }
        }
    }
#endif
