import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the reader takes bytes from: a file (read with `pread` straight into each tensor's storage, so
/// the file is never held in memory as a whole) or a `Data` already in memory.
protocol SafeTensorsByteSource {
    /// Total bytes available.
    var count: Int { get }
    /// Copies `buffer.count` bytes starting at `offset` into `buffer`; `offset + buffer.count <= count`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SafeTensorsError)
}

struct SafeTensorsDataSource: SafeTensorsByteSource {
    let data: Data
    var count: Int { data.count }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SafeTensorsError) {
        let start = data.startIndex + offset
        data.copyBytes(to: buffer, from: start..<(start + buffer.count))
    }
}

/// An open file, closed by `closeFile()`. Its size is taken once at opening; a file that shrinks while it
/// is read gives an `.io` error ("unexpected end of file"), not a crash.
struct SafeTensorsFileSource: SafeTensorsByteSource {
    let path: String
    let count: Int
    private let descriptor: Int32

    init(path: String) throws(SafeTensorsError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.systemError(path, "cannot open the file") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = Self.systemError(path, "cannot stat the file")
            _ = close(descriptor)
            throw error
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            _ = close(descriptor)
            throw SafeTensorsError(path: path, kind: .io, reason: "not a regular file")
        }
        count = Int(status.st_size)
    }

    func closeFile() { _ = close(descriptor) }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SafeTensorsError) {
        var done = 0
        while done < buffer.count {
            let got = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if got < 0 {
                if errno == EINTR { continue }
                throw Self.systemError(path, "cannot read \(buffer.count) bytes at offset \(offset)")
            }
            guard got > 0 else {
                throw SafeTensorsError(
                    path: path, kind: .io,
                    reason: "unexpected end of file at byte \(offset + done) (file changed while read?)")
            }
            done += got
        }
    }

    private static func systemError(_ path: String, _ what: String) -> SafeTensorsError {
        SafeTensorsError(path: path, kind: .io, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
