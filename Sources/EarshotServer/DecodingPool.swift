#if Server
    import Foundation

    /// A fixed set of threads that run decoding jobs, so that CPU-bound work (the acoustic model, beam search)
    /// never runs on the event loops that move bytes, nor on Swift's cooperative pool. Two queues: stream chunks
    /// (latency-bound; always admitted, since each stream has at most one job queued and streams are limited
    /// themselves) are taken before uploads (admitted up to `queueLimit` waiting, else `DecodingPoolError.full`).
    final class DecodingPool: @unchecked Sendable {
        /// Which queue a job waits in.
        enum Lane: Sendable {
            /// A chunk of a live stream: taken first, never refused.
            case stream
            /// A whole upload: refused when `queueLimit` uploads are already waiting.
            case upload
        }

        let workers: Int
        let queueLimit: Int
        private let condition = NSCondition()
        // The queues, guarded by `condition`.
        private var streamJobs: [() -> Void] = [], streamHead = 0
        private var uploadJobs: [() -> Void] = [], uploadHead = 0
        private var busy = 0
        private var stopping = false
        private var threads: [Thread] = []

        /// Starts `workers` threads (8 MiB stacks, as the main thread's).
        init(workers: Int, queueLimit: Int) {
            self.workers = workers
            self.queueLimit = queueLimit
            for index in 0..<workers {
                let thread = Thread { [unowned self] in self.work() }
                thread.name = "earshot-decoder-\(index)"
                thread.stackSize = 8 << 20
                threads.append(thread)
                thread.start()
            }
        }

        deinit { stop() }

        /// Uploads waiting for a worker, stream chunks waiting, and jobs running.
        var load: (uploadsWaiting: Int, streamChunksWaiting: Int, running: Int) {
            condition.withLock { (uploadJobs.count - uploadHead, streamJobs.count - streamHead, busy) }
        }

        /// Runs `body` on a worker and returns its result.
        /// - Throws: `DecodingPoolError.full` (an upload beyond the queue limit), `.stopped`, or what `body` throws.
        func run<T: Sendable>(_ lane: Lane, _ body: @escaping @Sendable () throws -> T) async throws -> T {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                let job = { continuation.resume(with: Result(catching: body)) }
                condition.lock()
                defer { condition.unlock() }
                guard !stopping else { return continuation.resume(throwing: DecodingPoolError.stopped) }
                switch lane {
                case .stream:
                    streamJobs.append(job)
                case .upload:
                    guard uploadJobs.count - uploadHead < queueLimit || (busy < workers && queuedCount == 0) else {
                        return continuation.resume(
                            throwing: DecodingPoolError.full(waiting: uploadJobs.count - uploadHead))
                    }
                    uploadJobs.append(job)
                }
                condition.signal()
            }
        }

        /// Stops the threads once the queued jobs are done; later `run` calls throw `.stopped`.
        func stop() {
            condition.withLock {
                stopping = true
                condition.broadcast()
            }
        }

        private var queuedCount: Int { streamJobs.count - streamHead + uploadJobs.count - uploadHead }

        /// A worker: takes the next job (stream chunks first) until stopped and drained.
        private func work() {
            while true {
                condition.lock()
                while queuedCount == 0 && !stopping { condition.wait() }
                guard let job = next() else {
                    condition.unlock()
                    return
                }
                busy += 1
                condition.unlock()
                job()
                condition.withLock { busy -= 1 }
            }
        }

        /// Removes and returns the next job (caller holds the lock); the arrays are compacted as they drain.
        private func next() -> (() -> Void)? {
            if streamHead < streamJobs.count {
                defer {
                    streamHead += 1
                    if streamHead == streamJobs.count { (streamJobs, streamHead) = ([], 0) }
                }
                return streamJobs[streamHead]
            }
            if uploadHead < uploadJobs.count {
                defer {
                    uploadHead += 1
                    if uploadHead == uploadJobs.count { (uploadJobs, uploadHead) = ([], 0) }
                }
                return uploadJobs[uploadHead]
            }
            return nil
        }
    }

    /// Why a decoding job was not run.
    enum DecodingPoolError: Error, Equatable, CustomStringConvertible {
        /// `waiting` uploads already wait for a worker (the queue limit).
        case full(waiting: Int)
        /// The server is shutting down.
        case stopped

        var description: String {
            switch self {
            case .full(let waiting): return "the server is busy: \(waiting) uploads are already waiting to be decoded"
            case .stopped: return "the server is shutting down"
            }
        }
    }
#endif
