import EarshotAudio
import EarshotFeatures
import EarshotIO
import Foundation

extension Trainer {
    /// Computes the features of every clip before training, and returns the clips whose audio cannot be
    /// used, which training then leaves out:
    /// 1. fills the feature caches (all cores; each file decoded once, with every check of `AudioFileReader`):
    ///    this process's share of the training clips (every N-th, from its rank), and, on rank 0, the
    ///    validation clips;
    /// 2. turns each failure into a `ManifestProblem` naming the manifest, the line, the file and the cause
    ///    (NaN or infinite samples, a file cut off early…), every one of them, in manifest and line order;
    ///    the processes exchange their failures and their clips' lengths (`ProcessGroup.allGather`);
    /// 3. leaves those utterances out of training and validation;
    /// 4. sets the normaliser from the training features at their own speed when asked (statistics summed
    ///    over the processes).
    /// A finished run (resumed after its last epoch) computes nothing, nor does a second call. When
    /// `stopFlag` is raised meanwhile in a single process, it returns at once with no problems, leaving the run
    /// unprepared; processes of a group go on to the first step, where they agree to stop together
    /// (a process leaving early would leave the others waiting in the exchange below).
    /// - Throws: `ManifestError.invalidEntries` with the problems when no training or validation clip is left.
    public func prepare(report: (TrainingEvent) -> Void = { _ in }) throws -> [ManifestProblem] {
        if state.finished || prepared { return [] }  // nothing left to do, or done already
        let ownTraining = training.indices.filter { $0 % group.size == group.rank }
        let ownValidation = group.rank == 0 ? Array(validation.indices) : []
        let trained = ownTraining.count * trainingFeatures.speedFactors.count
        let total = trained + ownValidation.count
        let stop = group.size == 1 ? stopFlag : nil
        let failedTraining = trainingFeatures.fill(utterances: ownTraining, stop: stop) { done, _ in
            report(.preparing(done: done, total: total))
        }
        let failedValidation = validationFeatures.fill(utterances: ownValidation, stop: stop) { done, _ in
            report(.preparing(done: trained + done, total: total))
        }
        if stop?.isRequested == true { return [] }  // stopped: not prepared, nothing checked or trained
        let failed = Set(failedTraining.map(\.utterance))
        var own = Shard(
            setup: group.size > 1 ? try setup() : [:], trainingFailures: Self.causes(failedTraining, of: training),
            validationFailures: Self.causes(failedValidation, of: validation), lengths: [:])
        var statistics = FeatureStatistics(dimension: model.config.features.dimension)
        for u in ownTraining where !failed.contains(u) {
            let features = try trainingFeatures.filterbank(utterance: u, speed: unitSpeed)
            own.lengths[u] = features.frameCount
            if computeNormalizer { statistics.add(features) }
        }
        let shards = try group.allGather(try JSONEncoder().encode(own).map { $0 }, "failures and lengths").map {
            try JSONDecoder().decode(Shard.self, from: Data($0))
        }
        try Self.checkSameSetup(shards.map(\.setup))
        let allFailedTraining = Self.failures(shards.map(\.trainingFailures), local: failedTraining)
        let allFailedValidation = Self.failures(shards.map(\.validationFailures), local: failedValidation)
        let problems = Self.problems(allFailedTraining, of: training, allFailedValidation, of: validation)
        let lengths = shards.reduce(into: [Int: Int]()) { $0.merge($1.lengths) { a, _ in a } }
        trainingLengths = training.indices.map { Double(lengths[$0] ?? 0) }
        let kept = Self.kept(training.count, without: allFailedTraining)
        (training, trainingFeatures) = (kept.map { training[$0] }, trainingFeatures.keeping(kept))
        trainingLengths = kept.map { trainingLengths[$0] }
        let keptValidation = Self.kept(validation.count, without: allFailedValidation)
        (validation, validationFeatures) = (
            keptValidation.map { validation[$0] }, validationFeatures.keeping(keptValidation)
        )
        if training.isEmpty || validation.isEmpty { throw ManifestError.invalidEntries(problems) }
        prepared = true
        if computeNormalizer {
            var sums = statistics.packedSums
            try group.sum(&sums, "feature statistics")
            model = model.replacingNormalizer(FeatureStatistics(packedSums: sums).normalizer())
            stage = try model.inputStage()
        }
        return problems
    }

    /// What one process found computing its share of the features, for the others.
    private struct Shard: Codable {
        /// What this process was started with (`setup()`), which must be what every other one was.
        var setup: [String: String]
        /// Utterance index → why it cannot be used (`ManifestProblem.cause`).
        var trainingFailures: [Int: String]
        var validationFailures: [Int: String]
        /// Utterance index → frames at speed factor 1.
        var lengths: [Int: Int]
    }

    /// A failure found by another process: its cause, as that process wrote it.
    private struct ReportedFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// What this process was given, by part, to check that every process of the group was given the same:
    /// the options, the training and validation clips (paths and transcripts, hashed), the model's weights
    /// (hashed) and the step a checkpoint resumes from.
    private func setup() throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var weights = Self.FNV1a()
        for p in model.parameters {
            weights.add(p.name.utf8)
            for value in p.value { withUnsafeBytes(of: value.bitPattern.littleEndian) { weights.add($0) } }
        }
        return [
            "options": String(decoding: try encoder.encode(options), as: UTF8.self),
            "training clips": Self.hash(training.map { "\($0.audioPath)\t\($0.normalizedTranscript)" }),
            "validation clips": Self.hash(validation.map { "\($0.audioPath)\t\($0.normalizedTranscript)" }),
            "model": weights.hex,
            "resumed step": "\(state.step)",
        ]
    }

    /// FNV-1a (64 bits) of the lines, each ended by a 0 byte, in hexadecimal.
    private static func hash(_ lines: [String]) -> String {
        var hash = FNV1a()
        for line in lines { hash.add(line.utf8 + [0]) }
        return hash.hex
    }

    /// The 64-bit FNV-1a hash of the bytes added.
    private struct FNV1a {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        mutating func add<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
            for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        }
        var hex: String { String(value, radix: 16) }
    }

    /// Throws `TrainingError.invalidOptions` naming the first rank, and what it was given, that differs from
    /// rank 0: its processes would otherwise train apart without a word.
    private static func checkSameSetup(_ setups: [[String: String]]) throws {
        for (rank, setup) in setups.enumerated().dropFirst() where setup != setups[0] {
            let parts = setup.keys.sorted().filter { setup[$0] != setups[0][$0] }
            throw TrainingError.invalidOptions(
                "the ranks were not started alike: rank \(rank) has other \(parts.joined(separator: ", ")) than "
                    + "rank 0 (every rank of the job must be given the same command, data and files)")
        }
    }

    /// Index of speed factor 1 (the unperturbed audio) among the cached speeds; the first one if 1 is absent.
    var unitSpeed: Int { trainingFeatures.speedFactors.firstIndex(of: 1) ?? 0 }

    /// Each failure's cause, as a problem of its entry states it.
    private static func causes(_ failures: [FeatureCache.Failure], of entries: [ManifestEntry]) -> [Int: String] {
        Dictionary(uniqueKeysWithValues: failures.map { ($0.utterance, problem($0, entries[$0.utterance]).cause) })
    }

    /// Every process's failures in utterance order: this process's own as they are (their errors typed), the
    /// others' from their causes.
    private static func failures(_ shards: [[Int: String]], local: [FeatureCache.Failure]) -> [FeatureCache.Failure] {
        let localUtterances = Set(local.map(\.utterance))
        let reported = shards.flatMap { $0 }.filter { !localUtterances.contains($0.key) }.map {
            FeatureCache.Failure(utterance: $0.key, error: ReportedFailure(description: $0.value))
        }
        return (local + reported).sorted { $0.utterance < $1.utterance }
    }

    /// The problem of `entry`, whose features failed with `failure`.
    private static func problem(_ failure: FeatureCache.Failure, _ entry: ManifestEntry) -> ManifestProblem {
        let kind: ManifestProblem.Kind
        switch failure.error {
        case let error as AudioError: kind = .audio(error)
        case let error as FeatureError: kind = .features(error)
        default: kind = .malformed("\(failure.error)")
        }
        return ManifestProblem(manifest: entry.manifest, line: entry.line, audioPath: entry.writtenPath, kind: kind)
    }

    /// The problems of the utterances that failed, one per file and line (a clip both trained and
    /// validated on is named once), in manifest and line order.
    private static func problems(
        _ failedTraining: [FeatureCache.Failure], of training: [ManifestEntry],
        _ failedValidation: [FeatureCache.Failure], of validation: [ManifestEntry]
    ) -> [ManifestProblem] {
        var seen: Set<String> = []
        var problems: [ManifestProblem] = []
        for (failure, entry) in failedTraining.map({ ($0, training[$0.utterance]) })
            + failedValidation.map({ ($0, validation[$0.utterance]) })
        where seen.insert("\(entry.manifest)\n\(entry.line)").inserted {
            problems.append(problem(failure, entry))
        }
        return problems.sorted { ($0.manifest, $0.line) < ($1.manifest, $1.line) }
    }

    /// The indices of `count` utterances without those of `failures`, in order.
    private static func kept(_ count: Int, without failures: [FeatureCache.Failure]) -> [Int] {
        let failed = Set(failures.map(\.utterance))
        return (0..<count).filter { !failed.contains($0) }
    }
}
