/// What went wrong with MPI; `description` says what and why in one line.
public enum MPIError: Error, Equatable, CustomStringConvertible {
    /// Open MPI's library could not be loaded or lacks a function (the reason given).
    case library(String)
    /// An MPI call failed: which call, and `MPI_Error_string`'s message.
    case call(String, message: String)
    /// A message to gather is larger than MPI's `int` counts allow (bytes).
    case messageTooLarge(Int)

    public var description: String {
        switch self {
        case .library(let reason): return reason
        case .call(let call, let message): return "\(call) failed: \(message)"
        case .messageTooLarge(let bytes): return "a message of \(bytes) bytes is too large for MPI (at most 2 GiB)"
        }
    }
}
