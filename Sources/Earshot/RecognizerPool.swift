import Foundation

/// The idle `Recognizer`s of one `SpeechRecognizer`, kept for the next transcription with the same options:
/// each owns its workspaces (buffers sized by the longest segment it has seen), and making them anew for
/// every call lets glibc's heap grow without bound over many calls (1000 transcriptions in one process grew
/// from 197 MB to 698 MB; RELIABILITY.md, "Memory over long runs"), where reusing them keeps it flat.
///
/// A recognizer is checked out under the lock and used by one thread until it is put back, so no two threads
/// ever touch the same one: that is why the pool may be shared (`@unchecked Sendable`). At most `capacity`
/// idle recognizers are kept; more concurrent calls than that make theirs and let them go.
final class RecognizerPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Recognizer] = []
    /// Most idle recognizers kept: two per core (a worker per core, and calls with a second set of options).
    let capacity = 2 * ProcessInfo.processInfo.activeProcessorCount

    /// Runs `body` on an idle recognizer with `options` over `model` and `decoding`, or a new one, and keeps it
    /// for the next call afterwards (also when `body` throws: a recognizer holds nothing of a call but its
    /// buffers, which the next call overwrites).
    func withRecognizer<Result>(
        model: AcousticModel, options: TranscriptionOptions, decoding: ResolvedDecoding,
        _ body: (Recognizer) throws -> Result
    ) throws -> Result {
        let recognizer =
            try checkOut(matching: options) ?? Recognizer(model: model, options: options, decoding: decoding)
        defer { checkIn(recognizer) }
        return try body(recognizer)
    }

    private func checkOut(matching options: TranscriptionOptions) -> Recognizer? {
        lock.withLock {
            guard let index = idle.firstIndex(where: { $0.options == options }) else { return nil }
            return idle.remove(at: index)
        }
    }

    private func checkIn(_ recognizer: Recognizer) {
        lock.withLock {
            if idle.count == capacity { idle.removeFirst() }  // the least recently used goes
            idle.append(recognizer)
        }
    }
}
