import ArgumentParser
import EarshotMPI
import Foundation

/// Work split among the ranks of an MPI job (`mpirun -np N earshot transcribe|eval …`): rank r takes the
/// items r, r + N, r + 2N… of the input list, and rank 0 gathers every rank's results, in input order.
/// Without MPI (`world` nil) one process takes everything.
struct RankShare {
    let world: MPIWorld?

    /// Joins the MPI job when `mpirun` started this process; `Terminal.error` and exit status 1 when it
    /// cannot.
    static func join() throws -> RankShare {
        do {
            return RankShare(world: try MPIWorld.joinIfLaunched())
        } catch {
            Terminal.error("earshot: \(error)")
            throw ExitCode(1)
        }
    }

    /// Whether this process writes the results (rank 0, or the only process).
    var isRoot: Bool { (world?.rank ?? 0) == 0 }

    /// The indices of `count` items this process takes, in order.
    func indices(of count: Int) -> [Int] {
        guard let world else { return Array(0..<count) }
        return Array(stride(from: world.rank, to: count, by: world.size))
    }

    /// A result that travels between ranks: the value, or the error's text.
    enum Outcome<Value: Codable>: Codable {
        case value(Value)
        case failure(String)

        init(_ result: Result<Value, any Error>) {
            switch result {
            case .success(let value): self = .value(value)
            case .failure(let error): self = .failure("\(error)")
            }
        }

        /// The value, or an error whose description is the text the failing rank gave.
        var result: Result<Value, any Error> {
            switch self {
            case .value(let value): return .success(value)
            case .failure(let text): return .failure(ReportedError(description: text))
            }
        }
    }

    /// An error another rank reported, as its text.
    struct ReportedError: Error, CustomStringConvertible {
        var description: String
    }

    /// Every rank's results (`own`: index → result, for this process's `indices`) on rank 0, as one array
    /// of `count` in input order; nil on the other ranks. Without MPI, `own` as an array.
    func gather<Value: Codable>(_ own: [Int: Result<Value, any Error>], count: Int) throws -> [Result<
        Value, any Error
    >]? {
        guard let world else { return (0..<count).map { own[$0]! } }
        let encoded = try JSONEncoder().encode(own.mapValues { Outcome($0) })
        guard let parts = try world.gather(Array(encoded), to: 0, "results") else { return nil }
        var all: [Int: Result<Value, any Error>] = [:]
        for part in parts {
            let decoded = try JSONDecoder().decode([Int: Outcome<Value>].self, from: Data(part))
            for (index, outcome) in decoded { all[index] = outcome.result }
        }
        return try (0..<count).map { index in
            guard let result = all[index] else { throw ReportedError(description: "no rank returned item \(index)") }
            return result
        }
    }

    /// Leaves the MPI job (every rank at the end of a command that shared work).
    func finish() { world?.finalize() }
}
