import Testing

@testable import EarshotNN

@Suite struct LinearTests {
    init() { pinOpenBLASToOneThread() }

    static func make(_ inputSize: Int, _ outputSize: Int, seed: UInt64) -> Linear {
        var generator = SeededGenerator(seed: seed)
        return Linear(inputSize: inputSize, outputSize: outputSize, name: "output", generator: &generator)
    }

    /// `Y = X·Wᵀ + b` against the plain triple loop in Double, with a strided input (a block of a wider
    /// buffer). Tolerance 1e-6: 2H-term float32 dot products of values below 1 (GEMMTests' bound).
    @Test func forwardMatchesDefinition() {
        let (rows, inputSize, outputSize, stride) = (7, 13, 5, 16)
        let linear = Self.make(inputSize, outputSize, seed: 1)
        var random = SeededRandom(seed: 2)
        let x = random.floats(rows * stride)
        var y = [Float](repeating: .nan, count: rows * outputSize)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer {
                linear.forward(input: xp.baseAddress!, inputStride: stride, rows: rows, output: $0.baseAddress!)
            }
        }
        var expected = [Float](repeating: 0, count: rows * outputSize)
        for r in 0..<rows {
            for o in 0..<outputSize {
                var sum = Double(linear.bias.value[o])
                for i in 0..<inputSize {
                    sum += Double(linear.weight.value[o * inputSize + i]) * Double(x[r * stride + i])
                }
                expected[r * outputSize + o] = Float(sum)
            }
        }
        expectClose(y, expected, tolerance: 1e-6, "Y")
    }

    /// dW, db (accumulated) and dX against central finite differences of `L = Σ g ⊙ Y`
    /// (ε, tolerance: `GradientCheck`); `backward` adds to gradients already there.
    @Test func backwardMatchesFiniteDifferences() {
        let (rows, inputSize, outputSize) = (6, 4, 3)
        let linear = Self.make(inputSize, outputSize, seed: 3)
        var random = SeededRandom(seed: 4)
        var x = random.floats(rows * inputSize)
        let g = random.floats(rows * outputSize)
        func forward(_ x: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: rows * outputSize)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer {
                    linear.forward(input: xp.baseAddress!, rows: rows, output: $0.baseAddress!)
                }
            }
            return y
        }
        let earlier: [Float] = (0..<(outputSize * inputSize)).map { Float($0) }
        linear.weight.gradient = earlier
        linear.bias.zeroGradient()
        var dx = [Float](repeating: .nan, count: rows * inputSize)
        x.withUnsafeBufferPointer { xp in
            g.withUnsafeBufferPointer { gp in
                dx.withUnsafeMutableBufferPointer { dxp in
                    linear.backward(
                        input: xp.baseAddress!, rows: rows, outputGradient: gp.baseAddress!,
                        inputGradient: dxp.baseAddress!)
                }
            }
        }
        linear.weight.gradient = zip(linear.weight.gradient, earlier).map { $0 - $1 }  // what this backward added
        let loss = { GradientCheck.dot(g, forward(x)) }
        GradientCheck.check(linear.weight, loss: loss)
        GradientCheck.check(linear.bias, loss: loss)
        GradientCheck.check(
            "input", analytic: dx, get: { x[$0] }, set: { x[$0] = $1 }, loss: { GradientCheck.dot(g, forward(x)) })
    }

    /// PyTorch's names, shapes and law: U(−1/√in, 1/√in) for weight and bias.
    @Test func initialisationFollowsPyTorch() {
        let linear = Self.make(512, 29, seed: 5)
        #expect(linear.parameters.map(\.name) == ["output.weight", "output.bias"])
        #expect(linear.parameters.map(\.shape) == [[29, 512], [29]])
        let bound = 1 / Float(512).squareRoot()
        #expect(linear.weight.value.allSatisfy { abs($0) <= bound })
        #expect(largestMagnitude(linear.weight.value) > 0.99 * bound)
    }
}
