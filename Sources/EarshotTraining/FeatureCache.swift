import Earshot
import EarshotAudio
import EarshotFeatures
import Foundation

/// The filterbank features of every training utterance at every speed factor, computed once (in
/// parallel on all cores) and kept in memory, so that epochs after the first do not redo the front end.
/// 80 bins at 100 frames/s is 32 KB per second of audio: an hour at three speeds is ~350 MB.
///
/// Each file is decoded once, with every check `AudioFileReader` makes (NaN or infinite samples, a file
/// cut off before the length its header gives), and its features at every speed are computed from that one
/// decoding. `fill` reports every utterance that fails, not just the first: it is where training finds
/// the clips whose samples cannot be used.
///
/// Speed perturbation (Ko et al. 2015, Kaldi's `perturb_data_dir_speed.sh`): the audio is resampled
/// as if it had been recorded at `factor ×` its rate, which makes it `factor` times faster and higher.
public final class FeatureCache: @unchecked Sendable {
    public let audioPaths: [String]
    public let speedFactors: [Double]
    private let stage: ModelInputStage
    /// `features[utterance][speed]`, raw (not normalised) log-mel, (T, F).
    private var features: [[FeatureMatrix?]]
    private let lock = NSLock()

    /// An utterance whose features could not be computed, and why (an `AudioError`, or a `FeatureError`).
    public struct Failure: @unchecked Sendable {
        /// Its index in `audioPaths`.
        public var utterance: Int
        public var error: any Error
    }

    public init(audioPaths: [String], speedFactors: [Double], stage: ModelInputStage) {
        self.audioPaths = audioPaths
        self.speedFactors = speedFactors.isEmpty ? [1] : speedFactors
        self.stage = stage
        features = Array(repeating: Array(repeating: nil, count: self.speedFactors.count), count: audioPaths.count)
    }

    /// Computes every missing entry using all cores, one utterance (all its speeds) at a time per core;
    /// `progress(done, total)` counts (utterance, speed) entries and is called after each utterance, one
    /// call at a time (under a lock), from the worker threads.
    /// When `stop` is raised, each core finishes the utterance under way and the others stay missing.
    /// - Parameter utterances: the utterances to compute (a process's share in data-parallel training);
    ///   nil: all of them.
    /// - Returns: every utterance that failed, in index order (their entries stay missing).
    public func fill(
        utterances: [Int]? = nil, stop: StopFlag? = nil, progress: (Int, Int) -> Void = { _, _ in }
    ) -> [Failure] {
        withoutActuallyEscaping(progress) { progress in
            fill(utterances ?? Array(audioPaths.indices), stop: stop, reporting: progress)
        }
    }

    private func fill(_ utterances: [Int], stop: StopFlag?, reporting progress: @escaping (Int, Int) -> Void)
        -> [Failure]
    {
        nonisolated(unsafe) let progress = progress
        let jobs = utterances.filter { features[$0].contains(where: { $0 == nil }) }
        let total = jobs.count * speedFactors.count
        nonisolated(unsafe) var failures: [Failure] = []
        nonisolated(unsafe) var done = 0
        // Each worker takes every n-th utterance, reading one file at a time.
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, jobs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for j in stride(from: worker, to: jobs.count, by: workers) {
                if stop?.isRequested == true { return }
                let u = jobs[j]
                do {
                    let matrices = try compute(utterance: u)
                    lock.withLock {
                        features[u] = matrices
                        done += speedFactors.count
                        progress(done, total)
                    }
                } catch {
                    lock.withLock { failures.append(Failure(utterance: u, error: error)) }
                }
            }
        }
        return failures.sorted { $0.utterance < $1.utterance }
    }

    /// The filterbank features of `utterance` at speed factor index `speed`, computed now if missing: at every
    /// speed and kept (`keep`), or at this speed only and not kept (in data-parallel training, a clip whose
    /// features another process holds, trained here this step).
    /// - Throws: `AudioError`, or `TrainingError.audio` naming the file for a `FeatureError`.
    public func filterbank(utterance: Int, speed: Int, keep: Bool = true) throws -> FeatureMatrix {
        if let cached = lock.withLock({ features[utterance][speed] }) { return cached }
        do {
            guard keep else { return try compute(utterance: utterance, speeds: [speedFactors[speed]])[0] }
            let matrices = try compute(utterance: utterance)
            lock.withLock { features[utterance] = matrices }
            return matrices[speed]
        } catch let error as FeatureError {
            throw TrainingError.audio(path: audioPaths[utterance], cause: "\(error)")
        }
    }

    /// A cache of the utterances `kept` (indices into this one, in that order), their features moved over.
    public func keeping(_ kept: [Int]) -> FeatureCache {
        let cache = FeatureCache(audioPaths: kept.map { audioPaths[$0] }, speedFactors: speedFactors, stage: stage)
        lock.withLock { cache.features = kept.map { features[$0] } }
        return cache
    }

    /// The features of `utterance` at every speed factor of `speeds` (all of them by default), from one
    /// decoding of its file.
    private func compute(utterance: Int, speeds: [Double]? = nil) throws -> [FeatureMatrix] {
        let rate = stage.sampleRate
        let samples = try AudioFile.read(path: audioPaths[utterance], sampleRate: rate).samples
        return try (speeds ?? speedFactors).map { speed in
            let perturbed =
                speed == 1
                ? samples : Resampler.resample(samples, from: Int((Double(rate) * speed).rounded()), to: rate)
            return try stage.filterbank(samples: perturbed)
        }
    }
}
