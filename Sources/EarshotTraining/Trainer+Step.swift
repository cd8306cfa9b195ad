import Dispatch
import Earshot
import EarshotFeatures
import EarshotNN

extension Trainer {
    /// One optimisation step on the utterances `indices` (a batch of the plan, the same on every process);
    /// returns the batch's mean loss, or nil when the batch was skipped (non-finite loss or gradient on any
    /// process, or no utterance whose transcript fits).
    /// 1. Draws the step's choices (chunked or not) from (seed, step), and each utterance's (speed, warp,
    ///    masks, dropout) from (seed, step, utterance): the same whichever process computes it.
    /// 2. Computes the gradient of this process's utterances (`localGradient`), each weighted 1.
    /// 3. Sums the gradients and the counts over the processes in one fused buffer (`ProcessGroup.sum`).
    /// 4. Divides by the number of utterances that fit, clips the norm and takes the optimizer step.
    func trainStep(_ indices: [Int]) throws -> Double? {
        let generator = SeededGenerator(seed: options.seed).split(UInt64(state.step) &+ 0x7EA1_0000)
        var choices = generator.split(0xC4A1)
        var latencyControl: LatencyControl?
        if let chunked = options.chunkedTraining,
            chunked.share >= 1 || Double.random(in: 0..<1, using: &choices) < chunked.share
        {
            latencyControl = chunked.control
        }
        for p in model.parameters { p.zeroGradient() }
        let trainable = model.parameters.filter { !$0.isFrozen }  // the only gradients summed and used
        var counts = try localGradient(of: share(of: indices), generator: generator, latencyControl: latencyControl)
        counts.stopRequests = stopFlag.isRequested ? 1 : 0
        try sumOverProcesses(trainable, &counts)

        state.skippedImpossibleUtterances += Int(counts.impossible)
        lastBatchSteps = Int(counts.validSteps)
        stopAgreed = counts.stopRequests > 0
        guard counts.fitting > 0 else { return nil }
        guard counts.nonFinite == 0 else {
            state.skippedNonFiniteBatches += 1
            return nil
        }
        // The mean over the utterances that fit: each was weighted 1.
        let scale = 1 / counts.fitting
        for p in trainable {
            p.gradient.withUnsafeMutableBufferPointer { g in
                for i in g.indices { g[i] *= scale }
            }
        }
        guard gradientsAreFinite(trainable) else {
            state.skippedNonFiniteBatches += 1
            return nil
        }
        _ = clipGradientNorm(model.parameters, maxNorm: options.maxGradientNorm)
        state.step += 1
        optimizer.update(model.parameters, learningRate: schedule.rate(atStep: state.step))
        return Double(counts.lossSum) / Double(max(counts.lossCount, 1))
    }

    /// This process's utterances of a batch: the batch sorted by length (longest first, then by index) and
    /// dealt out like cards, so every process gets as many utterances as the others (±1) and as much audio.
    /// (A fixed owner per utterance would leave the busiest process with ~1.5× the mean at 16 per process.)
    func share(of batch: [Int]) -> [Int] {
        guard group.size > 1 else { return batch }
        let sorted = batch.sorted {
            trainingLengths[$0] != trainingLengths[$1] ? trainingLengths[$0] > trainingLengths[$1] : $0 < $1
        }
        return stride(from: group.rank, to: sorted.count, by: group.size).map { sorted[$0] }
    }

    /// What a step counts besides the gradient, summed over the processes with it (as floats: exact for
    /// counts below 2^24).
    struct StepCounts {
        /// Utterances whose transcript fits their frames (their gradients were added, weighted 1).
        var fitting: Float = 0
        /// Utterances whose transcript cannot fit their frames (left out).
        var impossible: Float = 0
        /// Processes whose scores, loss or gradient were not finite.
        var nonFinite: Float = 0
        /// Sum and count of the per-utterance losses (nats).
        var lossSum: Float = 0
        var lossCount: Float = 0
        /// Model steps (not padding) in the batch.
        var validSteps: Float = 0
        /// Processes asked to stop (`stopFlag`).
        var stopRequests: Float = 0

        var values: [Float] { [fitting, impossible, nonFinite, lossSum, lossCount, validSteps, stopRequests] }

        init() {}

        init(_ values: [Float]) {
            (fitting, impossible, nonFinite, lossSum, lossCount) = (
                values[0], values[1], values[2], values[3], values[4]
            )
            (validSteps, stopRequests) = (values[5], values[6])
        }
    }

    /// Adds the gradients of `utterances` into the parameters' (zeroed) gradients, each utterance that fits
    /// weighted 1, and returns the counts; gradients stay zero when none fits or anything is not finite.
    private func localGradient(
        of utterances: [Int], generator: SeededGenerator, latencyControl: LatencyControl?
    ) throws -> StepCounts {
        var counts = StepCounts()
        guard !utterances.isEmpty else { return counts }
        var items: [(input: FeatureMatrix, labels: [Int], utterance: Int)] = []
        for u in utterances {
            var draws = generator.split(0x0100_0000_0000 &+ UInt64(u))
            let speed = Int.random(in: 0..<trainingFeatures.speedFactors.count, using: &draws)
            // Cached when this process computed it in `prepare`; else computed for this step only.
            var features = try trainingFeatures.filterbank(utterance: u, speed: speed, keep: group.size == 1)
            // VTLP on the raw log-mel values, before normalisation (the statistics are of unwarped speech).
            if let perturbation = options.vocalTractPerturbation {
                try VocalTractWarp(factor: perturbation.draw(using: &draws), fbank: model.config.features)
                    .apply(to: &features)
            }
            let input = stage.modelInput(filterbank: features) { augment.apply(to: &$0, generator: &draws) }
            items.append((input, training[u].labels, u))
        }
        let batch = TrainingBatch(items)
        counts.validSteps = Float(batch.validSteps)
        let fits = zip(batch.targets, batch.shape.lengths).map { CTCLoss.requiredFrames(target: $0) <= $1 }
        let fitting = fits.filter { $0 }.count
        counts.impossible = Float(fits.count - fitting)
        guard fitting > 0 else { return counts }
        counts.fitting = Float(fitting)

        // Dropout masks per utterance, from (seed, step, utterance) too.
        workspace.encoder.dropoutGenerator = generator.split(1)
        workspace.encoder.dropoutStreams = batch.utterances.map { UInt64($0) }
        let v = model.config.outputSize, shape = batch.shape
        var gradient = [Float](repeating: 0, count: shape.rowCount * v)
        let results: [CTCLoss.SequenceResult]? = batch.inputs.withUnsafeBufferPointer { x in
            let logits = model.forward(
                x.baseAddress!, shape: shape, training: true, workspace: workspace, latencyControl: latencyControl)
            // A non-finite score (an overflowing network) makes the loss undefined: skip the batch.
            guard logits.allSatisfy(\.isFinite) else { return nil }
            return logits.withUnsafeBufferPointer { z in
                gradient.withUnsafeMutableBufferPointer { g in
                    ctc.compute(
                        logits: z.baseAddress!, timeSteps: shape.timeSteps, batchSize: shape.batchSize,
                        vocabularySize: v, inputLengths: shape.lengths, targets: batch.targets,
                        weights: fits.map { $0 ? 1 : 0 }, gradient: g.baseAddress!)
                }
            }
        }
        let losses = results?.compactMap(\.loss) ?? []
        let lossSum = losses.reduce(0.0) { $0 + Double($1) }
        guard results != nil, lossSum.isFinite, gradient.allSatisfy(\.isFinite) else {
            counts.nonFinite = 1
            return counts
        }
        counts.lossSum = Float(lossSum)
        counts.lossCount = Float(losses.count)
        batch.inputs.withUnsafeBufferPointer { x in
            gradient.withUnsafeBufferPointer { g in
                model.backward(input: x.baseAddress!, logitGradient: g.baseAddress!, workspace: workspace)
            }
        }
        return counts
    }

    /// Sums the gradients of `parameters` and `counts` over the processes: one `ProcessGroup.sum` of a
    /// buffer holding every gradient, then the counts (nothing to do for a single process).
    private func sumOverProcesses(_ parameters: [Parameter], _ counts: inout StepCounts) throws {
        guard group.size > 1 else { return }
        let total = parameters.reduce(0) { $0 + $1.count }
        let tail = counts.values
        if fused.count != total + tail.count { fused = [Float](repeating: 0, count: total + tail.count) }
        try fused.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            for p in parameters {
                p.gradient.withUnsafeBufferPointer {
                    (buffer.baseAddress! + offset).update(from: $0.baseAddress!, count: p.count)
                }
                offset += p.count
            }
            (buffer.baseAddress! + offset).update(from: tail, count: tail.count)
            let start = DispatchTime.now().uptimeNanoseconds
            try group.sum(buffer, "gradients of step \(state.step + 1)")
            secondsInGradientSums += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            offset = 0
            for p in parameters {
                p.gradient.withUnsafeMutableBufferPointer {
                    $0.baseAddress!.update(from: buffer.baseAddress! + offset, count: p.count)
                }
                offset += p.count
            }
            counts = StepCounts(Array(buffer[offset...]))
        }
    }
}
