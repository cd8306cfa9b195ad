internal import COpenBLAS

#if canImport(Glibc)
    import Glibc
#endif

/// What OpenBLAS is doing in this process: version, the kernel family ("core") it picked, threads.
///
/// OpenBLAS built with `DYNAMIC_ARCH` (Debian's is) chooses its kernels once, when the library is
/// loaded, from `cpuid` — or from `OPENBLAS_CORETYPE` if that is in the environment at that moment.
/// Debian's 0.3.21 does not know recent Xeons and falls back to the SSE3 "Prescott" kernels, about 5×
/// slower than its SkylakeX kernels on the same CPU (measured: BENCHMARKS.md). `relaunchWithFasterBLASIfNeeded`
/// (BLASRelaunch.swift) fixes that; this type reports and decides.
public enum BLASRuntime {
    /// The environment variable OpenBLAS reads at load time to force a kernel family.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"

    /// Set (to "1") in the environment of a process Earshot re-executed with a core type of its
    /// choosing. It stops a second relaunch, and lets `summary` say who chose the core. Setting it by
    /// hand disables the relaunch.
    public static let relaunchGuardVariable = "EARSHOT_BLAS_RELAUNCHED"

    /// Kernel families that are already the fast path for their CPU, compared case-insensitively.
    /// If OpenBLAS picked one of these, Earshot leaves it alone even when a "bigger" one exists
    /// (e.g. Haswell on an AVX-512 machine): the user's OpenBLAS knows the CPU, so trust it.
    public static let wellTunedCoreNames: Set<String> = [
        "haswell", "zen", "skylakex", "cooperlake", "sapphirerapids", "excavator",
    ]

    /// The kernel family OpenBLAS is using, e.g. "Prescott", "Haswell", "SkylakeX"
    /// (`openblas_get_corename()`).
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS's build description, e.g.
    /// "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64"
    /// (`openblas_get_config()`).
    public static var configuration: String {
        String(cString: openblas_get_config()).trimmingCharacters(in: " ")
    }

    /// The version number from `configuration`, e.g. "0.3.21" (empty if the format is unexpected).
    public static var version: String {
        let words = configuration.split(separator: " ")
        return words.count >= 2 && words[0] == "OpenBLAS" ? String(words[1]) : ""
    }

    /// The number of threads OpenBLAS uses for one call. Setting it affects the whole process
    /// (OpenBLAS keeps one global pool); on a busy 2-core machine 1 thread plus Earshot's own
    /// parallelism is often faster and always steadier (measured: BENCHMARKS.md).
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            precondition(newValue >= 1, "OpenBLAS needs at least one thread, got \(newValue)")
            openblas_set_num_threads(Int32(newValue))
        }
    }

    /// One line for `earshot --version`, e.g.
    /// "OpenBLAS 0.3.21, core SkylakeX (set by earshot; CPU has AVX-512), 1 thread".
    public static var summary: String {
        describe(
            version: version, coreName: coreName, threads: threads,
            environment: { name in getenv(name).map { String(cString: $0) } },
            features: .current)
    }

    /// The core type Earshot should request through `OPENBLAS_CORETYPE`, or `nil` to leave OpenBLAS
    /// alone. A pure function of its inputs, so every branch is tested without relaunching anything.
    ///
    /// - `nil` if the user set `OPENBLAS_CORETYPE` (to anything non-blank): never override a choice
    ///   someone made on purpose;
    /// - `nil` if OpenBLAS already picked a well-tuned family (`wellTunedCoreNames`);
    /// - `"SkylakeX"` if the CPU has AVX-512 F, BW, VL and DQ (what those kernels are built for);
    /// - `"Haswell"` if it has AVX2 and FMA;
    /// - `nil` otherwise: nothing faster to offer.
    ///
    /// A blank `userCoreType` counts as unset: OpenBLAS itself ignores it (it matches no core name and
    /// falls back to detection).
    public static func coreTypeToRequest(
        features: CPUFeatures, userCoreType: String?, pickedCoreName: String
    ) -> String? {
        if let userCoreType, !userCoreType.trimmingCharacters(in: " \t").isEmpty { return nil }
        if wellTunedCoreNames.contains(pickedCoreName.lowercased()) { return nil }
        if features.hasSkylakeXVectorUnits { return "SkylakeX" }
        if features.hasHaswellVectorUnits { return "Haswell" }
        return nil
    }

    /// The text of `summary` from explicit inputs (testable); `environment` looks a variable up.
    static func describe(
        version: String, coreName: String, threads: Int,
        environment: (String) -> String?, features: CPUFeatures
    ) -> String {
        let requested = environment(coreTypeVariable).flatMap { $0.isEmpty ? nil : $0 }
        let relaunched = environment(relaunchGuardVariable) != nil
        let how: String
        switch (requested, relaunched) {
        case (let requested?, _) where requested.lowercased() != coreName.lowercased():
            how = "\(coreTypeVariable)=\(requested) was not applied"
        case (_?, true):
            how = "set by earshot; CPU has \(features)"
        case (_?, false):
            how = "set by \(coreTypeVariable)"
        case (nil, _):
            if let better = coreTypeToRequest(features: features, userCoreType: nil, pickedCoreName: coreName) {
                how = "chosen by OpenBLAS; \(coreTypeVariable)=\(better) would be faster on this CPU"
            } else {
                how = "chosen by OpenBLAS"
            }
        }
        let name = version.isEmpty ? "OpenBLAS" : "OpenBLAS \(version)"
        return "\(name), core \(coreName) (\(how)), \(threads) thread\(threads == 1 ? "" : "s")"
    }
}

extension String {
    /// `self` without leading and trailing characters from `set` (Foundation-free).
    fileprivate func trimmingCharacters(in set: String) -> String {
        let isTrimmed: (Character) -> Bool = { set.contains($0) }
        guard let first = firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let last = lastIndex(where: { !isTrimmed($0) })!
        return String(self[first...last])
    }
}
