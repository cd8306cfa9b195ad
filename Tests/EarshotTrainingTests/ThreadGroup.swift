import EarshotTraining
import Foundation

/// Processes of a data-parallel group played by threads of one test process: `ThreadGroup.members(n)` gives n
/// `ProcessGroup`s whose collectives meet at a barrier, where the last member to arrive combines every
/// member's contribution in rank order (as MPI would, up to its summation order) and releases the others.
/// Lets the tests train data-parallel without MPI.
final class ThreadGroup: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var contributions: [[UInt8]?]
    private var result: [[UInt8]] = []
    /// Collectives completed; a member waits for this to pass the number it arrived at.
    private var generation = 0

    private init(size: Int) {
        self.size = size
        contributions = Array(repeating: nil, count: size)
    }

    /// The `ProcessGroup` of each of `size` members, by rank.
    static func members(_ size: Int) -> [Member] {
        let group = ThreadGroup(size: size)
        return (0..<size).map { Member(group: group, rank: $0) }
    }

    /// Every member's `bytes` in rank order, once all have called (blocks until then).
    func exchange(_ bytes: [UInt8], rank: Int) -> [[UInt8]] {
        condition.lock()
        defer { condition.unlock() }
        let arrived = generation
        contributions[rank] = bytes
        if contributions.allSatisfy({ $0 != nil }) {
            result = contributions.map { $0! }
            contributions = Array(repeating: nil, count: size)
            generation += 1
            condition.broadcast()
        } else {
            while generation == arrived { condition.wait() }
        }
        return result
    }

    /// One member: its rank, and the collectives through `exchange`.
    final class Member: ProcessGroup, @unchecked Sendable {
        let group: ThreadGroup
        let rank: Int
        var size: Int { group.size }

        init(group: ThreadGroup, rank: Int) {
            self.group = group
            self.rank = rank
        }

        func sum(_ buffer: UnsafeMutableBufferPointer<Float>, _ what: String) {
            let parts = group.exchange(Array(UnsafeRawBufferPointer(buffer)), rank: rank)
            for i in buffer.indices { buffer[i] = 0 }
            for part in parts {
                part.withUnsafeBytes { raw in
                    let values = raw.bindMemory(to: Float.self)
                    for i in buffer.indices { buffer[i] += values[i] }
                }
            }
        }

        func sum(_ values: inout [Double], _ what: String) {
            let parts = values.withUnsafeBytes { group.exchange(Array($0), rank: rank) }
            for i in values.indices { values[i] = 0 }
            for part in parts {
                part.withUnsafeBytes { raw in
                    let others = raw.bindMemory(to: Double.self)
                    for i in values.indices { values[i] += others[i] }
                }
            }
        }

        func allGather(_ bytes: [UInt8], _ what: String) -> [[UInt8]] {
            group.exchange(bytes, rank: rank)
        }
    }
}
