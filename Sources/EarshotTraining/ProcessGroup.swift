/// The processes that train one model together (data parallelism, e.g. the ranks `mpirun` starts):
/// each computes the gradient of its share of every batch, and these collectives make them agree.
/// `SingleProcess` is the group of one, in which every collective returns its input.
public protocol ProcessGroup: AnyObject {
    /// This process's index, 0..<size; rank 0 validates, reports and writes files.
    var rank: Int { get }
    /// Processes in the group.
    var size: Int { get }
    /// Sums `buffer` element-wise over every process, in place (every process gets the same sums).
    func sum(_ buffer: UnsafeMutableBufferPointer<Float>, _ what: String) throws
    /// Sums `values` element-wise over every process, in place, in double precision.
    func sum(_ values: inout [Double], _ what: String) throws
    /// Every process's `bytes`, in rank order, on every process.
    func allGather(_ bytes: [UInt8], _ what: String) throws -> [[UInt8]]
}

/// The group of one process: training as it always was.
public final class SingleProcess: ProcessGroup {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func sum(_ buffer: UnsafeMutableBufferPointer<Float>, _ what: String) {}
    public func sum(_ values: inout [Double], _ what: String) {}
    public func allGather(_ bytes: [UInt8], _ what: String) -> [[UInt8]] { [bytes] }
}
