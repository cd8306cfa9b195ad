#if canImport(Glibc)
    import Glibc
#endif

extension BLASRuntime {
    /// Re-executes this program with fast OpenBLAS kernels if OpenBLAS picked slow ones; returns only
    /// when it does not (nothing to gain, already relaunched, user's choice, or `execve` failed).
    ///
    /// OpenBLAS reads `OPENBLAS_CORETYPE` when the library loads, before `main`, so setting it from
    /// inside the process changes nothing; the only way to switch kernels without the user's help is
    /// to start again with the variable set. That is what this does:
    ///
    /// 1. if `EARSHOT_BLAS_RELAUNCHED` is set, return (this *is* the relaunched process, or the user
    ///    opted out) — this is also what rules out a relaunch loop;
    /// 2. ask `coreTypeToRequest(features: .current, userCoreType: $OPENBLAS_CORETYPE,
    ///    pickedCoreName: coreName)`; if `nil`, return;
    /// 3. `execve("/proc/self/exe", arguments, environment + OPENBLAS_CORETYPE=<core> +
    ///    EARSHOT_BLAS_RELAUNCHED=1)`. Same process id, same open files (stdin streams keep working),
    ///    same arguments; the cost is one more process start (a few milliseconds).
    ///
    /// If `execve` fails (no `/proc`, a sandbox forbidding exec) the program just goes on with the
    /// slow kernels: slower is better than not running. Linux only; elsewhere it returns at once.
    ///
    /// Call it first thing in `main`, before printing or doing any work: the exec discards everything
    /// the process has done so far (C stdio buffers are flushed first, nothing else survives).
    /// Set `EARSHOT_BLAS_RELAUNCHED=1` to opt out.
    ///
    /// - Parameter arguments: the argument vector to run again, `argv[0]` included.
    public static func relaunchWithFasterBLASIfNeeded(arguments: [String] = CommandLine.arguments) {
        #if os(Linux)
            guard getenv(relaunchGuardVariable) == nil else { return }
            let userCoreType = getenv(coreTypeVariable).map { String(cString: $0) }
            guard
                let coreType = coreTypeToRequest(
                    features: .current, userCoreType: userCoreType, pickedCoreName: coreName)
            else { return }
            let environment = relaunchEnvironment(currentEnvironment(), coreType: coreType)
            let argv = arguments.isEmpty ? ["earshot"] : arguments  // execve wants an argv[0]
            execute("/proc/self/exe", arguments: argv, environment: environment)
        #endif
    }

    /// The environment for the relaunched process: `environment` (`NAME=value` entries) without any
    /// previous `OPENBLAS_CORETYPE` or guard entry, plus `OPENBLAS_CORETYPE=<coreType>` and
    /// `EARSHOT_BLAS_RELAUNCHED=1`. A previous `OPENBLAS_CORETYPE` can only be a blank one here, which
    /// OpenBLAS ignores anyway.
    static func relaunchEnvironment(_ environment: [String], coreType: String) -> [String] {
        let replaced = [coreTypeVariable + "=", relaunchGuardVariable + "="]
        let kept = environment.filter { entry in !replaced.contains { entry.hasPrefix($0) } }
        return kept + ["\(coreTypeVariable)=\(coreType)", "\(relaunchGuardVariable)=1"]
    }

    #if os(Linux)
        /// This process's environment as `NAME=value` strings, in order.
        private static func currentEnvironment() -> [String] {
            var entries: [String] = []
            var cursor = environ  // never null on glibc (imported non-optional)
            while let entry = cursor.pointee {
                entries.append(String(cString: entry))
                cursor += 1
            }
            return entries
        }

        /// `execve(path, arguments, environment)`; returns only if the exec failed.
        private static func execute(_ path: String, arguments: [String], environment: [String]) {
            fflush(nil)
            let argv = arguments.map { strdup($0) } + [nil]
            let envp = environment.map { strdup($0) } + [nil]
            _ = execve(path, argv, envp)
            for pointer in argv + envp { free(pointer) }
        }
    #endif
}
