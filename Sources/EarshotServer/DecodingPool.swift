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
        private var streamJobs = JobQueue()
        private var uploadJobs = JobQueue()
        private var busy = 0
        private var stopping = false

        /// Starts `workers` threads (8 MiB stacks, as the main thread's); they hold the pool until `stop()`.
        init(workers: Int, queueLimit: Int) {
            self.workers = workers
            self.queueLimit = queueLimit
            for index in 0..<workers {
                let thread = Thread { self.work() }
                thread.name = "earshot-decoder-\(index)"
                thread.stackSize = 8 << 20
                thread.start()
            }
        }

        /// Uploads waiting for a worker, stream chunks waiting, and jobs running.
        var load: (uploadsWaiting: Int, streamChunksWaiting: Int, running: Int) {
            condition.withLock { (uploadJobs.count, streamJobs.count, busy) }
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
                    guard uploadJobs.count < queueLimit || (busy < workers && queuedCount == 0) else {
                        return continuation.resume(
                            throwing: DecodingPoolError.full(waiting: uploadJobs.count))
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

        private var queuedCount: Int { streamJobs.count + uploadJobs.count }

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

        /// Removes and returns the next job, stream chunks first (caller holds the lock).
        private func next() -> (() -> Void)? {
            streamJobs.popFirst() ?? uploadJobs.popFirst()
        }
    }

    /// A first-in first-out queue of jobs. A job taken is released at once (it holds its request's audio), and the
    /// storage is compacted as the queue drains, so memory follows what waits, under load that never lets it
    /// empty too.
    struct JobQueue {
        private var items: [(() -> Void)?] = []
        private var head = 0

        var count: Int { items.count - head }

        mutating func append(_ job: @escaping () -> Void) { items.append(job) }

        mutating func popFirst() -> (() -> Void)? {
            guard head < items.count else { return nil }
            let job = items[head]
            items[head] = nil
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64 && 2 * head >= items.count {
                items.removeFirst(head)
                head = 0
            }
            return job
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
