import Foundation

/// Files that are not regular files — device nodes, named pipes — for tests of what a program does with them.
public enum SpecialFiles {
    /// The device number of the null device, major 1 and minor 3 (Linux's `makedev(1, 3)`, a C macro Swift
    /// does not import).
    static let nullDevice: dev_t = 1 << 8 | 3

    /// Whether this process may make device nodes (root, or CAP_MKNOD).
    public static let canMakeDevices: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-mknod-\(UUID())").path
        defer { unlink(probe) }
        return mknod(probe, S_IFCHR | 0o666, nullDevice) == 0
    }()

    /// Makes a null device (major 1, minor 3, as `/dev/null` is) at `path`.
    public static func makeNullDevice(at path: String) throws {
        guard mknod(path, S_IFCHR | 0o666, nullDevice) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM)
        }
    }

    /// True when `path` is still the null device `makeNullDevice` made (not replaced by a regular file).
    public static func isNullDevice(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR && status.st_rdev == nullDevice
    }

    /// True when `path` is a named pipe.
    public static func isNamedPipe(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO
    }

    /// Everything the non-blocking `descriptor` holds now (up to where a read would wait or the end).
    public static func readAvailable(_ descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return data }
            data.append(contentsOf: buffer[..<count])
        }
    }
}
