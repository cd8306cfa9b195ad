import Foundation

/// A real pipe fed from another thread in small blocks, as a shell pipeline would feed stdin.
///
/// The reader gets `readEnd`; the writer thread writes `bytes` in blocks of `blockSize` bytes, then closes its
/// end so the reader sees end of stream. SIGPIPE is ignored so a reader that stops early cannot kill the
/// test process; close `readEnd` with `finish()` when done.
final class PipeWriter: @unchecked Sendable {
    let readEnd: Int32
    private let done = DispatchSemaphore(value: 0)

    init(bytes: [UInt8], blockSize: Int) {
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0, "pipe() failed")
        readEnd = ends[0]
        let writeEnd = ends[1]
        let done = self.done
        Thread.detachNewThread {
            var offset = 0
            while offset < bytes.count {
                let size = min(blockSize, bytes.count - offset)
                let written = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress! + offset, size) }
                if written <= 0 { break }  // reader closed early
                offset += written
            }
            close(writeEnd)
            done.signal()
        }
    }

    /// Closes the read end and waits for the writer thread to finish.
    func finish() {
        close(readEnd)
        done.wait()
    }
}
