import Dispatch
import Foundation

/// The processes `mpirun` (or `srun`) started together, `MPI_COMM_WORLD`: this process's rank among them,
/// their number, and the collectives Earshot uses — a sum of a fused buffer over every rank
/// (`MPI_Allreduce`), gathers of byte blobs of any length (to one rank or to all) and a barrier — each
/// throwing `MPIError` instead of aborting (`MPI_ERRORS_RETURN`).
///
/// Only the thread that joined calls MPI (`MPI_THREAD_FUNNELED`). A collective that has not returned
/// after `collectiveTimeout` seconds means a peer died or hangs: the process then says so on standard
/// error and exits with status 1, which makes `mpirun` end the others, rather than waiting forever.
public final class MPIWorld: @unchecked Sendable {
    /// This process's rank, 0..<size.
    public let rank: Int
    /// Processes in the job.
    public let size: Int
    /// Seconds a collective may wait for the other ranks before this process gives up (nil: forever).
    public var collectiveTimeout: Double?
    private let library: MPILibrary
    private var finalized = false

    /// The environment variables by which a launcher says it started this process as one rank of several:
    /// Open MPI's `mpirun` (`OMPI_COMM_WORLD_SIZE`), PMIx (`PMIX_RANK`, Slurm's `srun --mpi=pmix`), PMI-2
    /// (`PMI_SIZE`).
    public static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"]

    /// Whether a launcher started this process (one of `launcherVariables` is set).
    public static func isLaunched(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        launcherVariables.contains { environment[$0] != nil }
    }

    /// Joins the job when a launcher started this process, else nil (a plain run: nothing changes).
    /// - Throws: `MPIError` when Open MPI cannot be loaded or initialised.
    public static func joinIfLaunched() throws(MPIError) -> MPIWorld? {
        isLaunched() ? try MPIWorld() : nil
    }

    /// Loads Open MPI and initialises it (`MPI_Init_thread`, funneled), errors returned rather than fatal.
    public init() throws(MPIError) {
        let mpi = try MPILibrary.load()
        var provided: Int32 = 0
        try Self.check("MPI_Init_thread", mpi) { mpi.initThread(nil, nil, MPILibrary.threadFunneled, &provided) }
        try Self.check("MPI_Comm_set_errhandler", mpi) { mpi.setErrhandler(mpi.commWorld, mpi.errorsReturn) }
        var rank: Int32 = 0, size: Int32 = 0
        try Self.check("MPI_Comm_rank", mpi) { mpi.commRank(mpi.commWorld, &rank) }
        try Self.check("MPI_Comm_size", mpi) { mpi.commSize(mpi.commWorld, &size) }
        library = mpi
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// Sums `buffer` element-wise over every rank, in place: afterwards every rank holds the same sums.
    public func sum(_ buffer: UnsafeMutableBufferPointer<Float>, _ what: String = "a sum") throws(MPIError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return try barrier() }
        let count = try Self.count(buffer.count)
        try collective("MPI_Allreduce (\(what))") {
            library.allreduce(MPILibrary.inPlace, base, count, library.float, library.sum, library.commWorld)
        }
    }

    /// Sums `values` element-wise over every rank, in place, in double precision.
    public func sum(_ values: inout [Double], _ what: String = "a sum") throws(MPIError) {
        let count = try Self.count(values.count)
        try collective("MPI_Allreduce (\(what))") {
            values.withUnsafeMutableBufferPointer { buffer in
                library.allreduce(
                    MPILibrary.inPlace, buffer.baseAddress, count, library.double, library.sum, library.commWorld)
            }
        }
    }

    /// Every rank's `bytes`, in rank order, on every rank.
    public func allGather(_ bytes: [UInt8], _ what: String = "a gather") throws(MPIError) -> [[UInt8]] {
        var lengths = [Int32](repeating: 0, count: size)
        var own = [try Self.count(bytes.count)]
        try collective("MPI_Allgather (\(what))") {
            library.allgather(&own, 1, library.int32, &lengths, 1, library.int32, library.commWorld)
        }
        let offsets = try Self.offsets(lengths)
        var gathered = [UInt8](repeating: 0, count: Int(offsets.last! + lengths.last!))
        try collective("MPI_Allgatherv (\(what))") {
            bytes.withUnsafeBytes { source in
                gathered.withUnsafeMutableBytes { target in
                    library.allgatherv(
                        source.baseAddress, own[0], library.byte, target.baseAddress, lengths, offsets, library.byte,
                        library.commWorld)
                }
            }
        }
        return Self.split(gathered, lengths: lengths, offsets: offsets)
    }

    /// Every rank's `bytes` in rank order on rank `root`; nil on the others.
    public func gather(_ bytes: [UInt8], to root: Int, _ what: String = "a gather") throws(MPIError) -> [[UInt8]]? {
        var lengths = [Int32](repeating: 0, count: size)
        var own = [try Self.count(bytes.count)]
        try collective("MPI_Gather (\(what))") {
            library.gather(&own, 1, library.int32, &lengths, 1, library.int32, Int32(root), library.commWorld)
        }
        guard rank == root else {
            try collective("MPI_Gatherv (\(what))") {
                bytes.withUnsafeBytes { source in
                    library.gatherv(
                        source.baseAddress, own[0], library.byte, nil, nil, nil, library.byte, Int32(root),
                        library.commWorld)
                }
            }
            return nil
        }
        let offsets = try Self.offsets(lengths)
        var gathered = [UInt8](repeating: 0, count: Int(offsets.last! + lengths.last!))
        try collective("MPI_Gatherv (\(what))") {
            bytes.withUnsafeBytes { source in
                gathered.withUnsafeMutableBytes { target in
                    library.gatherv(
                        source.baseAddress, own[0], library.byte, target.baseAddress, lengths, offsets, library.byte,
                        Int32(root), library.commWorld)
                }
            }
        }
        return Self.split(gathered, lengths: lengths, offsets: offsets)
    }

    /// Returns once every rank has called it.
    public func barrier(_ what: String = "a barrier") throws(MPIError) {
        try collective("MPI_Barrier (\(what))") { library.barrier(library.commWorld) }
    }

    /// Leaves the job (`MPI_Finalize`), when every rank is done; later calls do nothing. A rank that ends
    /// without it (an error) makes `mpirun` end the whole job, which is what an error should do: it is not
    /// called when the world is released.
    public func finalize() {
        guard !finalized else { return }
        finalized = true
        _ = library.finalize()
    }

    /// Runs the MPI call `body` under the watchdog (`collectiveTimeout`), throwing its error.
    private func collective(_ call: String, _ body: () -> Int32) throws(MPIError) {
        var watchdog: DispatchWorkItem?
        if let timeout = collectiveTimeout {
            let rank = rank
            let item = DispatchWorkItem {
                let text =
                    "earshot: rank \(rank): \(call) waited more than \(Int(timeout)) s for the other ranks: "
                    + "one of them died or hangs; exiting\n"
                FileHandle.standardError.write(Data(text.utf8))
                _exit(1)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: item)
            watchdog = item
        }
        defer { watchdog?.cancel() }
        try Self.check(call, library, body)
    }

    private static func check(_ call: String, _ library: MPILibrary, _ body: () -> Int32) throws(MPIError) {
        let code = body()
        guard code == 0 else { throw .call(call, message: library.message(for: code)) }
    }

    /// `count` as MPI's `int`.
    private static func count(_ count: Int) throws(MPIError) -> Int32 {
        guard let value = Int32(exactly: count) else { throw .messageTooLarge(count) }
        return value
    }

    /// Where each rank's part starts in the concatenation of parts of `lengths` bytes.
    private static func offsets(_ lengths: [Int32]) throws(MPIError) -> [Int32] {
        var offsets: [Int32] = []
        var total = 0
        for length in lengths {
            offsets.append(try count(total))
            total += Int(length)
        }
        _ = try count(total)
        return offsets
    }

    private static func split(_ bytes: [UInt8], lengths: [Int32], offsets: [Int32]) -> [[UInt8]] {
        zip(offsets, lengths).map { Array(bytes[Int($0)..<Int($0 + $1)]) }
    }
}
