import EarshotNN
import EarshotTestSupport
import Foundation
import Testing

/// `earshot train`, `transcribe` and `eval` under `mpirun -np 2` on this machine: two ranks train to the
/// weights one process reaches, resume, stop together on a signal to one rank, end when a rank dies or
/// hangs; a sharded transcription prints what one process prints. Skipped (with the reason) where Open
/// MPI is not installed; CI installs it.
@Suite(.serialized, .enabled(if: MPIRun.path != nil, "\(MPIRun.missing)"))
struct MPICommandTests {
    static let timeout: TimeInterval = 300
    /// A small model and every source of randomness on (speeds, VTLP, SpecAugment, dropout).
    static let small = [
        "--hidden-size", "32", "--layers", "2", "--dropout", "0.2", "--mel-bins", "40", "--batch-size", "3",
        "--learning-rate", "0.003", "--warmup-steps", "5", "--patience", "0",
    ]

    /// A manifest of the six training clips (absolute paths) in `folder`.
    static func manifest(in folder: URL) throws -> String {
        let clips = TrainCommandTests.clips
        let lines = try String(
            contentsOf: clips.deletingLastPathComponent().appendingPathComponent("tiny.tsv"), encoding: .utf8
        ).split(separator: "\n").dropFirst().map { line -> String in
            let parts = line.split(separator: "\t")
            return clips.deletingLastPathComponent().appendingPathComponent(String(parts[0])).path + "\t" + parts[1]
        }
        let path = folder.appendingPathComponent("train.tsv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The largest difference between the tensors (weights and optimizer moments) of two checkpoints.
    static func largestDifference(_ a: String, _ b: String) throws -> Float {
        let (first, _) = try SafeTensors.read(path: a)
        let (second, _) = try SafeTensors.read(path: b)
        #expect(first.keys.sorted() == second.keys.sorted())
        var largest: Float = 0
        for (name, tensor) in first {
            for (x, y) in zip(tensor.values, second[name]!.values) { largest = max(largest, abs(x - y)) }
        }
        return largest
    }

    /// The JSON lines (one per epoch) of a run's standard output.
    static func epochLines(_ result: CommandResult) -> [Substring] {
        result.stdoutText.split(separator: "\n").filter { $0.hasPrefix("{") }
    }

    /// Two ranks with the global batch of 3 take the steps one process takes: after 6 steps the weights and
    /// moments differ by float rounding only (the order of the gradient sums); measured 1.5e-6 with weights
    /// up to 19, so 1e-4 leaves room for other BLAS kernels. Another seed differs by far more (the
    /// comparison can fail). Only rank 0 prints.
    @Test func twoRanksEndWithTheWeightsOfOneProcess() throws {
        try withTemporaryDirectory { folder in
            let manifest = try Self.manifest(in: folder)
            func train(_ name: String, seed: String = "7") -> [String] {
                [
                    "train", manifest, "-o", folder.appendingPathComponent("\(name).safetensors").path, "--epochs", "3",
                    "--json", "--seed", seed,
                ] + Self.small
            }
            let one = try CommandRunner.run("earshot", train("one"), timeout: Self.timeout)
            #expect(one.status == 0, "\(one.stderr)")
            let two = try MPIRun.run(ranks: 2, "earshot", train("two"), timeout: Self.timeout)
            #expect(two.status == 0, "\(two.stderr)")
            #expect(Self.epochLines(two).count == 3, "\(two.stdoutText)")
            let other = try CommandRunner.run("earshot", train("other", seed: "8"), timeout: Self.timeout)
            #expect(other.status == 0, "\(other.stderr)")
            let last = { (name: String) in folder.appendingPathComponent("\(name).checkpoints/last.safetensors").path }
            let difference = try Self.largestDifference(last("one"), last("two"))
            print("1 vs 2 ranks after 6 steps: largest difference \(difference)")
            #expect(difference <= 1e-4)
            #expect(try Self.largestDifference(last("one"), last("other")) > 1e-2)
        }
    }

    /// SIGTERM to rank 1 alone stops both ranks after the batch with one checkpoint (exit 143); `--resume`
    /// under mpirun then ends with the weights of a run that was never interrupted.
    @Test func aStoppedRunResumesUnderMPI() throws {
        try withTemporaryDirectory { folder in
            let manifest = try Self.manifest(in: folder)
            func train(_ name: String) -> [String] {
                [
                    "train", manifest, "-o", folder.appendingPathComponent("\(name).safetensors").path, "--epochs",
                    "30",
                    "--json",
                ] + Self.small
            }
            let straight = try MPIRun.run(ranks: 2, "earshot", train("straight"), timeout: Self.timeout)
            #expect(straight.status == 0, "\(straight.stderr)")
            var signalled = false
            let stopped = try MPIRun.run(ranks: 2, "earshot", train("resumed"), timeout: Self.timeout) { _, mpirun in
                guard !signalled, let rank1 = MPIRun.ranksOf(mpirun).last else { return }
                signalled = true
                kill(rank1, SIGTERM)
            }
            #expect(signalled)
            #expect(stopped.status == 143, "\(stopped.stderr)")
            #expect(stopped.stderr.contains("Continue with the same command and --resume"), "\(stopped.stderr)")
            #expect(Self.epochLines(stopped).count < 30)
            let resumed = try MPIRun.run(ranks: 2, "earshot", train("resumed") + ["--resume"], timeout: Self.timeout)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let last = { (name: String) in folder.appendingPathComponent("\(name).checkpoints/last.safetensors").path }
            #expect(try Self.largestDifference(last("straight"), last("resumed")) <= 1e-6)
        }
    }

    /// A rank killed mid-training ends the job: mpirun notices, ends the other rank and exits non-zero,
    /// long before the run would have finished (and long before the default --mpi-timeout); a rank that
    /// stops answering (SIGSTOP) makes the other exit after --mpi-timeout (3 s here), saying why.
    @Test func aKilledOrHangingRankEndsTheJob() throws {
        try withTemporaryDirectory { folder in
            let manifest = try Self.manifest(in: folder)
            for (signal, name) in [(SIGKILL, "killed"), (SIGSTOP, "hung")] {
                let arguments =
                    [
                        "train", manifest, "-o", folder.appendingPathComponent("\(name).safetensors").path, "--epochs",
                        "100000", "--json", "--mpi-timeout", signal == SIGKILL ? "900" : "3",
                    ] + Self.small
                var victim: Int32?
                let started = Date()
                let result = try MPIRun.run(ranks: 2, "earshot", arguments, timeout: Self.timeout) { _, mpirun in
                    guard victim == nil, let rank1 = MPIRun.ranksOf(mpirun).last else { return }
                    victim = rank1
                    kill(rank1, signal)
                }
                if let victim { kill(victim, SIGKILL) }  // a stopped rank that outlived the job
                #expect(victim != nil)
                #expect(!result.timedOut)
                #expect(result.status != 0)
                #expect(Date().timeIntervalSince(started) < 120)
                if signal == SIGKILL {
                    #expect(result.stderr.contains("exited on signal 9"), "\(result.stderr)")
                } else {
                    #expect(
                        result.stderr.contains("waited more than 3 s for the other ranks: one of them died or hangs"),
                        "\(result.stderr)")
                }
            }
        }
    }

    /// Ranks started with different options (here the seed, so different initial weights too) are refused
    /// before the first step, naming what differs, instead of training apart.
    @Test func ranksStartedDifferentlyAreRefused() throws {
        try withTemporaryDirectory { folder in
            let manifest = try Self.manifest(in: folder)
            let arguments =
                ["train", manifest, "-o", folder.appendingPathComponent("m.safetensors").path, "--epochs", "1"]
                + Self.small
            let result = try MPIRun.run(
                "earshot", argumentsPerRank: [arguments + ["--seed", "1"], arguments + ["--seed", "2"]],
                timeout: Self.timeout)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.contains("the ranks were not started alike: rank 1 has other model, options than rank 0"),
                "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.safetensors").path))
        }
    }

    /// `transcribe` of several files under two ranks prints exactly what one process prints, in input order,
    /// a missing file included (reported by rank 0, exit status 1 both ways); `eval` prints the same rates.
    @Test func shardedTranscriptionAndEvaluationMatchOneProcess() throws {
        try withTemporaryDirectory { folder in
            let clips = ["yes", "no", "hello_world", "go_left", "stop_now"].map {
                TranscribeCommandTests.clips.appendingPathComponent("\($0).wav").path
            }
            let arguments =
                ["transcribe"] + clips + [folder.appendingPathComponent("missing.wav").path]
                + ["--model", TranscribeCommandTests.model]
            let one = try CommandRunner.run("earshot", arguments, timeout: Self.timeout)
            let two = try MPIRun.run(ranks: 2, "earshot", arguments, timeout: Self.timeout)
            #expect(one.status == 1 && two.status == 1, "\(two.stderr)")
            #expect(two.stdoutText == one.stdoutText)
            #expect(two.stdoutText.split(separator: "\n").count == clips.count)
            #expect(two.stderr.contains("missing.wav: no such file"), "\(two.stderr)")

            let manifest = try Self.manifest(in: folder)
            let evaluation = ["eval", manifest, "--model", TranscribeCommandTests.model, "--greedy"]
            let single = try CommandRunner.run("earshot", evaluation, timeout: Self.timeout)
            let sharded = try MPIRun.run(ranks: 2, "earshot", evaluation, timeout: Self.timeout)
            #expect(single.status == 0 && sharded.status == 0, "\(sharded.stderr)")
            let rates = { (r: CommandResult) in
                r.stdoutText.split(separator: "\n").filter { $0.hasPrefix("WER") || $0.hasPrefix("CER") }
            }
            #expect(rates(sharded) == rates(single) && rates(single).count == 2, "\(sharded.stdoutText)")
        }
    }

    /// Whether this machine lets the tests make network namespaces (root with the capabilities: CI's
    /// container may not), probed once by making and removing one.
    static let namespacesArePermitted: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/ip") else { return false }
        let name = "earshot-probe-\(getpid())"
        func ip(_ arguments: [String]) -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ip")
            process.arguments = arguments
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return -1 }
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard ip(["netns", "add", name]) == 0 else { return false }
        return ip(["netns", "del", name]) == 0
    }()

    /// Two ranks on two hosts (network namespaces joined by a veth pair, MPI over TCP between them,
    /// started without ssh: Scripts/mpi_two_hosts.sh) train to the weights one process reaches, and the
    /// gradients did cross the link.
    @Test(.enabled(if: namespacesArePermitted, "making network namespaces needs root with CAP_SYS_ADMIN"))
    func twoHostsOverTCPEndWithTheWeightsOfOneProcess() throws {
        try withTemporaryDirectory { folder in
            let manifest = try Self.manifest(in: folder)
            func train(_ name: String) -> [String] {
                [
                    "train", manifest, "-o", folder.appendingPathComponent("\(name).safetensors").path, "--epochs", "3",
                    "--quiet",
                ] + Self.small
            }
            let one = try CommandRunner.run("earshot", train("one"), timeout: Self.timeout)
            #expect(one.status == 0, "\(one.stderr)")
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Scripts/mpi_two_hosts.sh")
            let process = Process()
            process.executableURL = script
            process.arguments =
                [CommandRunner.productsDirectory.appendingPathComponent("earshot").path] + train("two")
            let err = Pipe()
            process.standardError = err
            try process.run()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(stderr)")
            // 6 steps of a 2-rank sum of ~66 000 gradients (265 KB) each: every host sends at least a megabyte.
            let sent = stderr.split(separator: "\n").filter { $0.contains("bytes over the link") }
                .compactMap { $0.split(separator: " ").dropLast(4).last.flatMap { Int($0) } }
            #expect(sent.count == 2 && sent.allSatisfy { $0 > 1_000_000 }, "\(stderr)")
            let last = { (name: String) in folder.appendingPathComponent("\(name).checkpoints/last.safetensors").path }
            #expect(try Self.largestDifference(last("one"), last("two")) <= 1e-4)
        }
    }
}
