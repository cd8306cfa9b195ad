import Earshot
import EarshotMPI
import Foundation

/// `earshot-bench allreduce [--floats N] [--repeats R]` under `mpirun -np N`: the time of one
/// `MPI_Allreduce` (sum, in place) of N floats — by default as many as the reference model has parameters,
/// the fused gradient data-parallel training sums every step — after a barrier, so that it is the transfer
/// and not a wait for a late rank. Rank 0 prints one JSON line.
func benchAllreduce(_ arguments: ArraySlice<String>) throws {
    var repeats = 20
    var floats = try AcousticModel(config: AcousticModelConfig(), seed: 1).parameterCount
    var iterator = arguments.makeIterator()
    while let argument = iterator.next() {
        guard let value = iterator.next().flatMap({ Int($0) }), value > 0 else { fail("\(argument) needs a number") }
        switch argument {
        case "--repeats": repeats = value
        case "--floats": floats = value
        default: fail("unknown option \(argument)")
        }
    }
    guard let world = try MPIWorld.joinIfLaunched() else { fail("allreduce runs under mpirun -np N") }
    var buffer = [Float](repeating: 1, count: floats)
    var times: [Double] = []
    for _ in 0..<(repeats + 1) {
        try world.barrier()
        let time = try seconds { try buffer.withUnsafeMutableBufferPointer { try world.sum($0) } }
        times.append(time)
    }
    times.removeFirst()  // the first sets up the connections
    if world.rank == 0 {
        let bytes = floats * 4
        let result: [String: Any] = [
            "ranks": world.size, "floats": floats, "bytes": bytes, "median_seconds": median(times), "times": times,
            // Bus bandwidth as nccl-tests report it: what a ring moves per rank, 2 (N − 1) / N of the buffer.
            "bus_gigabytes_per_second": Double(bytes) * 2 * Double(world.size - 1) / Double(world.size)
                / median(times) / 1e9,
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
    world.finalize()
}
