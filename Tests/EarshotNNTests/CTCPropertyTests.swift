import Foundation
import Testing

@testable import EarshotNN

/// Properties every CTC result must have, whatever the inputs: each gradient row is softmax minus an
/// occupancy that sums to 1 (so the row sums to 0), weights scale the gradient and nothing else,
/// frames past a sequence's length get exactly zero, and threads change nothing.
@Suite struct CTCPropertyTests {
    /// Six sequences: full and short inputs, an empty target, many repeats, and a near-tight fit
    /// (49 labels in 50 frames); all feasible (checked in `batchIsFeasible`).
    static let batch = CTCBatch(
        timeSteps: 50, vocabularySize: 29, inputLengths: [50, 47, 50, 12, 33, 50],
        targets: [
            randomTarget(length: 20, vocabularySize: 29, seed: 1),
            randomTarget(length: 35, vocabularySize: 29, seed: 2),
            [], randomTarget(length: 6, vocabularySize: 29, repeatChance: 0.6, seed: 3),
            randomTarget(length: 14, vocabularySize: 29, seed: 4),
            randomTarget(length: 49, vocabularySize: 29, repeatChance: 0, seed: 5),
        ], seed: 6)

    @Test func batchIsFeasible() {
        for (target, frames) in zip(Self.batch.targets, Self.batch.inputLengths) {
            #expect(CTCLoss.requiredFrames(target: target) <= frames)
        }
    }

    /// Σ_k (y_t(k) − occupancy_t(k)) = 1 − 1 per frame. The row is V = 29 Float values, each the
    /// rounding of an exact-to-1e-13 Double of size ≤ 1 (error ≤ 3e-8), so the sum is ≤ 29·3e-8 ≈ 1e-6.
    @Test func gradientRowsSumToZero() {
        let (_, gradient) = Self.batch.run()
        for b in 0..<Self.batch.batchSize {
            for t in 0..<Self.batch.inputLengths[b] {
                let sum = Self.batch.row(gradient, t: t, b: b).reduce(0.0) { $0 + Double($1) }
                #expect(abs(sum) <= 1e-6, "row (t \(t), b \(b)) sums to \(sum)")
            }
        }
    }

    /// Inside the recursions: Σ_s α_t(s)·β_t(s) = p(l | x) at every frame (the occupancy mass, which
    /// the gradient divides by, is 1 before that division) — to 1e-12, the Double arithmetic's reach.
    @Test func everyFrameCarriesThePathMass() {
        let batch = Self.batch
        let workspace = CTCWorkspace(frames: 50, labels: 49, vocabularySize: 29)
        var gradient = [Float](repeating: 0, count: 50 * 29)
        for b in 0..<batch.batchSize {
            batch.logits.withUnsafeBufferPointer { logits in
                workspace.prepare(
                    logits: logits.baseAddress!, sequence: b, batchSize: batch.batchSize, vocabularySize: 29,
                    frames: batch.inputLengths[b], target: batch.targets[b], blank: 0)
            }
            let logLikelihood = workspace.computeAlphas()
            gradient.withUnsafeMutableBufferPointer {
                workspace.computeBetasAndGradient(
                    logLikelihood: logLikelihood, weight: 1, gradient: $0.baseAddress!, gradientRowStride: 29)
            }
            let masses = (0..<batch.inputLengths[b]).map { workspace.frameMass[$0] }
            #expect(masses.allSatisfy { abs($0 - 1) <= 1e-12 }, "sequence \(b): \(masses.prefix(4))")
        }
    }

    /// Gradient(weights) = weight · gradient(1) up to one Float rounding on each side; losses unchanged.
    @Test func weightsScaleTheGradientOnly() {
        let weights: [Float] = [0.5, 2, 0, -1, 1 / 6, 1]
        let (plain, unweighted) = Self.batch.run()
        let (results, weighted) = Self.batch.run(weights: weights)
        #expect(results == plain)
        for b in 0..<Self.batch.batchSize {
            for t in 0..<Self.batch.timeSteps {
                let expected = Self.batch.row(unweighted, t: t, b: b).map { $0 * weights[b] }
                expectClose(
                    Self.batch.row(weighted, t: t, b: b), expected, tolerance: 1.2e-7 * Double(abs(weights[b])),
                    "b \(b) t \(t)")
            }
        }
    }

    /// Rows t ≥ T_b are overwritten with exact zeros, whatever the buffer held before.
    @Test func paddingFramesHaveZeroGradient() {
        let batch = Self.batch
        var gradient = [Float](repeating: .nan, count: batch.logits.count)
        _ = gradient.withUnsafeMutableBufferPointer { g in
            batch.logits.withUnsafeBufferPointer { x in
                CTCLoss().compute(
                    logits: x.baseAddress!, timeSteps: batch.timeSteps, batchSize: batch.batchSize,
                    vocabularySize: batch.vocabularySize, inputLengths: batch.inputLengths, targets: batch.targets,
                    gradient: g.baseAddress!)
            }
        }
        #expect(!gradient.contains { $0.isNaN })
        for b in 0..<batch.batchSize {
            for t in batch.inputLengths[b]..<batch.timeSteps {
                #expect(batch.row(gradient, t: t, b: b).allSatisfy { $0 == 0 }, "b \(b) t \(t)")
            }
        }
    }

    /// Sequences are independent and each is computed by one thread in the same order of operations,
    /// so 1 and 2 threads give bit-identical results. The batch is above `parallelThreshold`, so the
    /// second thread really runs.
    @Test func threadsDoNotChangeResults() {
        let batch = CTCBatch(
            timeSteps: 120, vocabularySize: 29, inputLengths: [120, 97, 120, 64, 110],
            targets: (0..<5).map { randomTarget(length: 40 + 3 * $0, vocabularySize: 29, seed: 40 + UInt64($0)) },
            seed: 41)
        let work = zip(batch.inputLengths, batch.targets).reduce(0) { $0 + $1.0 * ($1.1.count + 1) }
        #expect(work >= CTCLoss.parallelThreshold)
        #expect(CTCLoss.partition(Array(0..<5), cost: { batch.inputLengths[$0] * 50 }, maxGroups: 2).count == 2)
        let one = batch.run(maxThreads: 1)
        let two = batch.run(maxThreads: 2)
        #expect(one.results == two.results)
        #expect(one.gradient == two.gradient)
        #expect(one.results.allSatisfy { $0.loss != nil })
    }

    /// Largest first, to the lighter group: the two groups' work differs by at most the largest item.
    @Test func partitionBalancesWork() {
        let costs = [9_000, 500, 4_000, 4_000, 700, 3_000, 100]
        let groups = CTCLoss.partition(Array(costs.indices), cost: { costs[$0] }, maxGroups: 2)
        #expect(groups.count == 2)
        #expect(groups.flatMap { $0 }.sorted() == Array(costs.indices))
        let loads = groups.map { $0.reduce(0) { $0 + costs[$1] } }
        #expect(abs(loads[0] - loads[1]) <= costs.max()!)
        #expect(CTCLoss.partition([0, 1], cost: { _ in 10 }, maxGroups: 2).count == 1)  // too little work
        #expect(CTCLoss.partition([0], cost: { _ in 100_000 }, maxGroups: 2).count == 1)
    }

    /// Without a gradient the losses are the same (the backward pass is skipped).
    @Test func lossesWithoutGradient() {
        let batch = Self.batch
        let (results, gradient) = CTCLoss().compute(
            logits: batch.logits, timeSteps: batch.timeSteps, batchSize: batch.batchSize,
            vocabularySize: batch.vocabularySize, inputLengths: batch.inputLengths, targets: batch.targets,
            computeGradient: false)
        #expect(gradient == nil)
        #expect(results == batch.run().results)
    }
}
