import Foundation

/// Runs a built executable of this package under Open MPI's `mpirun`, as a user starts data-parallel
/// training or a sharded transcription, and finds the processes of its ranks.
public enum MPIRun {
    /// `mpirun` on PATH; nil when Open MPI is not installed (tests that need it are then skipped).
    public static let path: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Why MPI tests are skipped here, for `.enabled(if:)`.
    public static let missing = "mpirun is not installed (Debian: apt-get install openmpi-bin); CI installs it"

    /// `mpirun`'s own options: allowed as root (CI containers), more ranks than cores, and shared-memory
    /// transfers without the cross-process reads (CMA) that containers without CAP_SYS_PTRACE refuse.
    public static let launcherOptions = [
        "--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none",
    ]

    /// Runs `product` with `arguments` as `ranks` ranks and waits for `mpirun` to end (killed after
    /// `timeout` seconds). `whenReading(line, mpirun)` sees each line of standard output as it comes (to
    /// signal a rank at a chosen moment).
    public static func run(
        ranks: Int, _ product: String, _ arguments: [String], timeout: TimeInterval,
        whenReading: (String, Process) -> Void = { _, _ in }
    ) throws -> CommandResult {
        try run(perRank: [arguments], ranks: ranks, product, timeout, whenReading)
    }

    /// Runs `product` as one rank per element of `argumentsPerRank`, each with its own arguments (mpirun's
    /// `-np 1 A : -np 1 B` form), and waits for `mpirun` to end.
    public static func run(
        _ product: String, argumentsPerRank: [[String]], timeout: TimeInterval
    ) throws -> CommandResult {
        try run(perRank: argumentsPerRank, ranks: 1, product, timeout, { _, _ in })
    }

    /// `mpirun` with one application context per element of `perRank`, each of `ranks` ranks.
    private static func run(
        perRank: [[String]], ranks: Int, _ product: String, _ timeout: TimeInterval,
        _ whenReading: (String, Process) -> Void
    ) throws -> CommandResult {
        let program = CommandRunner.productsDirectory.appendingPathComponent(product).path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments =
            launcherOptions
            + perRank.enumerated().flatMap { index, arguments in
                (index > 0 ? [":"] : []) + ["-np", "\(ranks)", program] + arguments
            }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var timedOut = false
        let killer = DispatchWorkItem {
            guard process.isRunning else { return }
            timedOut = true
            for rank in ranksOf(process) { kill(rank, SIGKILL) }
            kill(process.processIdentifier, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        var outData = Data(), pending = Data()
        while true {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            outData += chunk
            pending += chunk
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                whenReading(String(decoding: pending[..<newline], as: UTF8.self), process)
                pending = Data(pending[(newline + 1)...])
            }
        }
        group.wait()
        process.waitUntilExit()
        killer.cancel()
        return CommandResult(
            status: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The process IDs of the ranks `mpirun` started, by rank (its children, each with
    /// `OMPI_COMM_WORLD_RANK` in its environment).
    public static func ranksOf(_ mpirun: Process) -> [Int32] {
        let parent = mpirun.processIdentifier
        var ranks: [(rank: Int, pid: Int32)] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after "(name)": state, ppid, …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == parent,
                let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
            else { continue }
            let variables = environment.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if let rank = variables.first(where: { $0.hasPrefix("OMPI_COMM_WORLD_RANK=") })?.split(separator: "=").last
                .flatMap({ Int($0) })
            {
                ranks.append((rank, pid))
            }
        }
        return ranks.sorted { $0.rank < $1.rank }.map(\.pid)
    }
}
