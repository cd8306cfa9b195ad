import Testing

@testable import EarshotNN

@Suite struct DropoutTests {
    init() { pinOpenBLASToOneThread() }

    /// Over 100 000 values with p = 0.25: the kept fraction is 0.75 within 5 standard deviations
    /// (σ = √(p(1−p)/n) ≈ 0.0014), survivors are scaled by 1/(1−p), the mean is preserved, and the same
    /// seed gives the same mask.
    @Test func maskHasTheRightLawAndIsSeeded() {
        let n = 100_000
        let p: Float = 0.25
        let input = [Float](repeating: 2, count: n)
        func run(seed: UInt64) -> (output: [Float], mask: [Float]) {
            var generator = SeededGenerator(seed: seed)
            var output = [Float](repeating: 0, count: n)
            var mask = [Float](repeating: 0, count: n)
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    mask.withUnsafeMutableBufferPointer { m in
                        Dropout.forward(
                            input: x.baseAddress!, output: y.baseAddress!, mask: m.baseAddress!, count: n,
                            probability: p,
                            generator: &generator)
                    }
                }
            }
            return (output, mask)
        }
        let (output, mask) = run(seed: 7)
        #expect(mask.allSatisfy { $0 == 0 || $0 == 1 / (1 - p) })
        let kept = Double(mask.filter { $0 != 0 }.count) / Double(n)
        #expect(abs(kept - 0.75) < 5 * 0.0014)
        #expect(abs(output.reduce(0.0) { $0 + Double($1) } / Double(n) - 2) < 0.02)
        #expect(run(seed: 7).mask == mask)
        #expect(run(seed: 8).mask != mask)
    }

    /// Backward multiplies by the saved mask (in place allowed); p = 0 is the identity.
    @Test func backwardUsesTheMaskAndZeroIsIdentity() {
        let mask: [Float] = [0, 2, 2, 0, 2]
        var gradient: [Float] = [1, 2, 3, 4, 5]
        gradient.withUnsafeMutableBufferPointer { g in
            Dropout.backward(outputGradient: g.baseAddress!, mask: mask, inputGradient: g.baseAddress!, count: 5)
        }
        #expect(gradient == [0, 4, 6, 0, 10])
        var generator = SeededGenerator(seed: 1)
        let before = generator
        let x: [Float] = [1, -2, 3]
        var y = [Float](repeating: 0, count: 3)
        var m = [Float](repeating: 0, count: 3)
        Dropout.forward(input: x, output: &y, mask: &m, count: 3, probability: 0, generator: &generator)
        #expect(y == x && m == [1, 1, 1] && generator == before)
    }

    /// With a generator per column, a sequence's masks depend on its generator only: column 1 of a
    /// (T = 5, B = 3, W = 4) batch has the masks of the same sequence alone in a shorter (T = 3, B = 1) one,
    /// as data-parallel training needs when a batch is split across processes.
    @Test func perColumnMasksDoNotDependOnTheBatch() {
        let width = 4
        func masks(steps: Int, streams: [UInt64]) -> [Float] {
            let count = steps * streams.count * width
            let input = [Float](repeating: 1, count: count)
            var output = [Float](repeating: 0, count: count), mask = [Float](repeating: 0, count: count)
            var generators = streams.map { SeededGenerator(seed: 9).split($0) }
            Dropout.forward(
                input: input, output: &output, mask: &mask, steps: steps, width: width, probability: 0.5,
                generators: &generators)
            return mask
        }
        let batch = masks(steps: 5, streams: [10, 20, 30])
        let alone = masks(steps: 3, streams: [20])
        var column1: [Float] = []
        for t in 0..<3 {
            let row = (t * 3 + 1) * width
            column1 += batch[row..<(row + width)]
        }
        #expect(column1 == alone)
        #expect(Set(alone).count == 2)  // both kept (2) and dropped (0) values: the masks are not trivial
    }
}
