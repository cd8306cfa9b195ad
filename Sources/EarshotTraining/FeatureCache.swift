import Earshot
import EarshotAudio
import EarshotFeatures
import Foundation

/// The filterbank features of every training utterance at every speed factor, computed once (in
/// parallel on all cores) and kept in memory, so that epochs after the first do not redo the front end.
/// 80 bins at 100 frames/s is 32 KB per second of audio: an hour at three speeds is ~350 MB.
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

    public init(audioPaths: [String], speedFactors: [Double], stage: ModelInputStage) {
        self.audioPaths = audioPaths
        self.speedFactors = speedFactors.isEmpty ? [1] : speedFactors
        self.stage = stage
        features = Array(repeating: Array(repeating: nil, count: self.speedFactors.count), count: audioPaths.count)
    }

    /// Computes every missing entry using all cores; `progress(done, total)` is called after each, one
    /// call at a time (under a lock), from the worker threads.
    /// - Throws: the first audio or feature error, naming the file.
    public func fill(progress: (Int, Int) -> Void = { _, _ in }) throws {
        try withoutActuallyEscaping(progress) { progress in try fill(reporting: progress) }
    }

    private func fill(reporting progress: @escaping (Int, Int) -> Void) throws {
        nonisolated(unsafe) let progress = progress
        let jobs = (0..<audioPaths.count).flatMap { u in (0..<speedFactors.count).map { (u, $0) } }
            .filter { features[$0.0][$0.1] == nil }
        let total = jobs.count
        nonisolated(unsafe) var firstError: Error?
        nonisolated(unsafe) var done = 0
        // Each worker takes every n-th job, reading and resampling one file at a time.
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, jobs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for j in stride(from: worker, to: jobs.count, by: workers) {
                let (u, s) = jobs[j]
                do {
                    let matrix = try compute(utterance: u, speed: speedFactors[s])
                    lock.lock()
                    features[u][s] = matrix
                    done += 1
                    progress(done, total)
                    lock.unlock()
                } catch {
                    lock.lock()
                    if firstError == nil { firstError = error }
                    lock.unlock()
                    return
                }
            }
        }
        if let firstError { throw firstError }
    }

    /// The filterbank features of `utterance` at speed factor index `speed` (computed now if missing).
    public func filterbank(utterance: Int, speed: Int) throws -> FeatureMatrix {
        lock.lock()
        let cached = features[utterance][speed]
        lock.unlock()
        if let cached { return cached }
        let matrix = try compute(utterance: utterance, speed: speedFactors[speed])
        lock.lock()
        features[utterance][speed] = matrix
        lock.unlock()
        return matrix
    }

    private func compute(utterance: Int, speed: Double) throws -> FeatureMatrix {
        let path = audioPaths[utterance]
        let rate = stage.sampleRate
        var samples = try AudioFile.read(path: path, sampleRate: rate).samples
        if speed != 1 {
            samples = Resampler.resample(samples, from: Int((Double(rate) * speed).rounded()), to: rate)
        }
        do {
            return try stage.filterbank(samples: samples)
        } catch {
            throw TrainingError.audio(path: path, cause: "\(error)")
        }
    }
}
