#if canImport(Glibc)
    import Glibc
#endif

/// The x86-64 vector features that decide which OpenBLAS kernels this CPU can run, read from the
/// `flags` line of Linux's `/proc/cpuinfo`.
///
/// Why `/proc/cpuinfo` rather than `cpuid`: the kernel lists a feature only when it also saves that
/// register state across context switches (AVX-512 needs the ZMM state enabled), which is exactly
/// the condition under which using it is safe; and it is plain text that a test can feed in.
public struct CPUFeatures: Equatable, Sendable, CustomStringConvertible {
    /// 256-bit AVX2 integer and float instructions.
    public var avx2: Bool
    /// Fused multiply–add (FMA3); with AVX2 this is what OpenBLAS's Haswell kernels need.
    public var fma: Bool
    /// AVX-512 Foundation.
    public var avx512f: Bool
    /// AVX-512 Byte and Word instructions.
    public var avx512bw: Bool
    /// AVX-512 Vector Length extensions (the 128/256-bit forms).
    public var avx512vl: Bool
    /// AVX-512 Doubleword and Quadword instructions.
    public var avx512dq: Bool

    public init(
        avx2: Bool = false, fma: Bool = false,
        avx512f: Bool = false, avx512bw: Bool = false, avx512vl: Bool = false, avx512dq: Bool = false
    ) {
        self.avx2 = avx2
        self.fma = fma
        self.avx512f = avx512f
        self.avx512bw = avx512bw
        self.avx512vl = avx512vl
        self.avx512dq = avx512dq
    }

    /// Features from a list of flag names as the kernel spells them (`avx512f`, `fma`, …); unknown
    /// names are ignored.
    public init<S: Sequence>(flags: S) where S.Element: StringProtocol {
        self.init()
        for flag in flags {
            switch flag {
            case "avx2": avx2 = true
            case "fma": fma = true
            case "avx512f": avx512f = true
            case "avx512bw": avx512bw = true
            case "avx512vl": avx512vl = true
            case "avx512dq": avx512dq = true
            default: break
            }
        }
    }

    /// Features from the text of `/proc/cpuinfo`: the first line whose key is `flags`
    /// (`flags\t\t: fpu vme … avx512f …`). Text without such a line (another architecture, an empty
    /// read) gives no features, which makes every later decision "leave OpenBLAS alone".
    public init(cpuinfo: String) {
        for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingWhitespace()
            guard key == "flags" else { continue }
            self.init(flags: line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }))
            return
        }
        self.init()
    }

    /// The features of the CPU this process runs on, read once from `/proc/cpuinfo` (none where the
    /// file does not exist, e.g. macOS). All cores of a machine report the same flags, so the first
    /// processor's line speaks for all.
    public static let current = CPUFeatures(cpuinfo: readProcFile("/proc/cpuinfo") ?? "")

    /// AVX-512 F + BW + VL + DQ: what OpenBLAS's SkylakeX kernels are compiled for.
    public var hasSkylakeXVectorUnits: Bool { avx512f && avx512bw && avx512vl && avx512dq }

    /// AVX2 + FMA: what OpenBLAS's Haswell kernels need.
    public var hasHaswellVectorUnits: Bool { avx2 && fma }

    /// A short name for logs: `AVX-512`, `AVX2+FMA` or `no AVX2`.
    public var description: String {
        if hasSkylakeXVectorUnits { return "AVX-512" }
        if hasHaswellVectorUnits { return "AVX2+FMA" }
        return "no AVX2"
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}

/// Reads a whole file with `read(2)` until end of file. `/proc` files report a size of 0, so APIs
/// that trust `stat` read nothing from them; this does not. Returns `nil` if the file cannot be opened.
func readProcFile(_ path: String) -> String? {
    #if canImport(Glibc)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    #else
        return nil
    #endif
}
