import Foundation

/// Open MPI's C interface, loaded at run time (`dlopen` of `libmpi.so.40`, the soname of Open MPI 3–5),
/// so that building Earshot needs no MPI at all and a binary runs the same with or without it.
///
/// Open MPI's handles are pointers: `MPI_COMM_WORLD` is the address of the global `ompi_mpi_comm_world`,
/// `MPI_FLOAT` of `ompi_mpi_float`, `MPI_SUM` of `ompi_mpi_op_sum` (mpi.h's `OMPI_PREDEFINED_GLOBAL`), and
/// `MPI_IN_PLACE` is `(void *) 1`. The function types below are mpi.h's prototypes, with every handle an
/// `OpaquePointer`. (MPICH's handles are integers: this is Open MPI's ABI only.)
struct MPILibrary: @unchecked Sendable {
    typealias Handle = OpaquePointer
    typealias InitThread =
        @convention(c) (
            UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?,
            Int32, UnsafeMutablePointer<Int32>
        ) -> Int32
    typealias CommInteger = @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
    typealias Allreduce =
        @convention(c) (
            UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Handle, Handle, Handle
        ) -> Int32
    typealias Allgather =
        @convention(c) (
            UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, Int32, Handle, Handle
        ) -> Int32
    typealias Allgatherv =
        @convention(c) (
            UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, UnsafePointer<Int32>, UnsafePointer<Int32>,
            Handle, Handle
        ) -> Int32
    typealias Gather =
        @convention(c) (
            UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, Int32, Handle, Int32, Handle
        ) -> Int32
    typealias Gatherv =
        @convention(c) (
            UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, UnsafePointer<Int32>?, UnsafePointer<Int32>?,
            Handle, Int32, Handle
        ) -> Int32
    typealias Comm = @convention(c) (Handle) -> Int32
    typealias Finalize = @convention(c) () -> Int32
    typealias SetErrhandler = @convention(c) (Handle, Handle) -> Int32
    typealias ErrorString = @convention(c) (Int32, UnsafeMutablePointer<CChar>, UnsafeMutablePointer<Int32>) -> Int32

    let initThread: InitThread
    let commRank: CommInteger
    let commSize: CommInteger
    let allreduce: Allreduce
    let allgather: Allgather
    let allgatherv: Allgatherv
    let gather: Gather
    let gatherv: Gatherv
    let barrier: Comm
    let finalize: Finalize
    let setErrhandler: SetErrhandler
    let errorString: ErrorString

    let commWorld: Handle
    let byte: Handle
    let float: Handle
    let double: Handle
    let int32: Handle
    let sum: Handle
    let errorsReturn: Handle
    /// `MPI_THREAD_FUNNELED`: only the thread that initialised MPI calls it.
    static let threadFunneled: Int32 = 1
    /// `MPI_IN_PLACE`.
    static var inPlace: UnsafeRawPointer { UnsafeRawPointer(bitPattern: 1)! }

    /// The library names tried in order: the runtime package's soname, then the development symlink.
    static let names = ["libmpi.so.40", "libmpi.so"]

    /// Loads Open MPI and resolves every symbol above.
    /// - Throws: `MPIError.library` naming the library or the missing symbol and `dlerror()`'s reason.
    static func load() throws(MPIError) -> MPILibrary {
        var reasons: [String] = []
        var handle: UnsafeMutableRawPointer?
        for name in names {
            // RTLD_GLOBAL: Open MPI's own plugins (mca components) resolve libmpi's symbols through it.
            handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL)
            if handle != nil { break }
            reasons.append(dlerror().map { String(cString: $0) } ?? name)
        }
        guard let handle else {
            throw .library(
                "cannot load Open MPI (\(names.joined(separator: ", "))): \(reasons.joined(separator: "; ")); "
                    + "install it (Debian: apt-get install openmpi-bin)")
        }
        func symbol(_ name: String) throws(MPIError) -> UnsafeMutableRawPointer {
            guard let address = dlsym(handle, name) else {
                throw .library("\(name) is missing from Open MPI's libmpi (\(String(cString: dlerror())))")
            }
            return address
        }
        func function<F>(_ name: String, as type: F.Type) throws(MPIError) -> F {
            unsafeBitCast(try symbol(name), to: type)
        }
        func global(_ name: String) throws(MPIError) -> Handle { OpaquePointer(try symbol(name)) }
        return MPILibrary(
            initThread: try function("MPI_Init_thread", as: InitThread.self),
            commRank: try function("MPI_Comm_rank", as: CommInteger.self),
            commSize: try function("MPI_Comm_size", as: CommInteger.self),
            allreduce: try function("MPI_Allreduce", as: Allreduce.self),
            allgather: try function("MPI_Allgather", as: Allgather.self),
            allgatherv: try function("MPI_Allgatherv", as: Allgatherv.self),
            gather: try function("MPI_Gather", as: Gather.self),
            gatherv: try function("MPI_Gatherv", as: Gatherv.self),
            barrier: try function("MPI_Barrier", as: Comm.self),
            finalize: try function("MPI_Finalize", as: Finalize.self),
            setErrhandler: try function("MPI_Comm_set_errhandler", as: SetErrhandler.self),
            errorString: try function("MPI_Error_string", as: ErrorString.self),
            commWorld: try global("ompi_mpi_comm_world"), byte: try global("ompi_mpi_byte"),
            float: try global("ompi_mpi_float"), double: try global("ompi_mpi_double"),
            int32: try global("ompi_mpi_int"), sum: try global("ompi_mpi_op_sum"),
            errorsReturn: try global("ompi_mpi_errors_return"))
    }

    /// `MPI_Error_string` of `code`.
    func message(for code: Int32) -> String {
        var text = [CChar](repeating: 0, count: 1024)  // MPI_MAX_ERROR_STRING is 256 in Open MPI
        var length: Int32 = 0
        guard errorString(code, &text, &length) == 0 else { return "MPI error \(code)" }
        return String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
