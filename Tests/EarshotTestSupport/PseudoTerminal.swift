import Foundation

/// A pseudo-terminal pair: a program given `child` as a standard stream sees a terminal there (`isatty`),
/// and what it writes is read back from the other side with `readToEnd()`.
final class PseudoTerminal: Sendable {
    /// The terminal side, for the program; close it here once the program has started.
    let child: FileHandle
    /// The controlling side, read by the test.
    private let controller: Int32

    /// Opens `/dev/ptmx`, unlocks the terminal side and opens it as `/dev/pts/<n>` (what `posix_openpt`,
    /// `unlockpt` and `ptsname` do; Swift's Glibc module does not offer the last two).
    init() throws {
        func failure() -> POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        controller = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard controller >= 0 else { throw failure() }
        var locked: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(controller, Self.setLock, &locked) == 0, ioctl(controller, Self.getNumber, &number) == 0 else {
            close(controller)
            throw failure()
        }
        let descriptor = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            close(controller)
            throw failure()
        }
        child = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Linux's `TIOCSPTLCK` (lock or unlock the terminal side) and `TIOCGPTN` (its number).
    private static let setLock: UInt = 0x4004_5431
    private static let getNumber: UInt = 0x8004_5430

    deinit { close(controller) }

    /// Everything written to the terminal until every process has closed it (Linux then reports EIO).
    func readToEnd() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(controller, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }
}
