import Foundation

extension AdamOptions {
    /// One Adam step on one tensor, in place; the update rule alone, apart from walking the parameters
    /// (`Adam` does that), as mlx-swift separates them.
    ///
    /// With g the gradient, t the step (from 1), lr the learning rate, for every element:
    /// ```
    /// p ← p·(1 − lr·λ)                                   (only when weightDecay λ ≠ 0: AdamW)
    /// m ← β1·m + (1 − β1)·g                               computed as m + (1 − β1)·(g − m)
    /// v ← β2·v + (1 − β2)·g²
    /// m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)
    /// p ← p − lr·m̂ / (√v̂ + ε)                           computed as p + (−lr/(1−β1ᵗ))·m / (√v / √(1−β2ᵗ) + ε)
    /// ```
    /// The second forms are PyTorch's (`torch.optim.adam._single_tensor_adam`), operation for operation
    /// and in the same precisions (scalars in `Double`, rounded once to `Float`; elements in `Float`), so
    /// results agree with PyTorch to an ulp or two rather than merely to the formula.
    ///
    /// - Parameters:
    ///   - value, gradient, firstMoment, secondMoment: (N) each; the moments start at zero.
    ///   - step: t ≥ 1, the number of updates this tensor has had including this one.
    /// Allocates nothing.
    public func apply(
        step: Int, learningRate: Float, value: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
        firstMoment: UnsafeMutableBufferPointer<Float>, secondMoment: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(step >= 1, "Adam step counts from 1, got \(step)")
        let n = value.count
        precondition(
            gradient.count == n && firstMoment.count == n && secondMoment.count == n, "Adam: buffer sizes differ")
        let lr = Double(learningRate)
        let biasCorrection1 = 1 - pow(beta1, Double(step))
        let biasCorrection2 = 1 - pow(beta2, Double(step))
        // Without weight decay this is exactly 1, and p·1 = p bit for bit, so no branch is needed.
        let decay = Float(1 - lr * weightDecay)
        let weight1 = Float(1 - beta1)
        let beta2f = Float(beta2)
        let weight2 = Float(1 - beta2)
        let stepSize = Float(-(lr / biasCorrection1))
        let correction2Root = Float(biasCorrection2.squareRoot())
        let eps = Float(epsilon)

        // Eight lanes at a time (the compiler does not vectorise the scalar loop by itself: sqrt and
        // division across four buffers it cannot prove distinct). Lane-wise IEEE operations, no FMA, so
        // the SIMD body and the scalar tail give identical bits.
        typealias Lanes = SIMD8<Float>
        var i = 0
        if n >= Lanes.scalarCount {
            let p = UnsafeMutableRawPointer(value.baseAddress!), g = UnsafeRawPointer(gradient.baseAddress!)
            let m1 = UnsafeMutableRawPointer(firstMoment.baseAddress!),
                m2 = UnsafeMutableRawPointer(secondMoment.baseAddress!)
            let stride = MemoryLayout<Float>.stride
            while i + Lanes.scalarCount <= n {
                let offset = i * stride
                let gv = g.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
                let pv = p.loadUnaligned(fromByteOffset: offset, as: Lanes.self) * decay
                let mOld = m1.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
                let m = mOld + weight1 * (gv - mOld)
                let v = m2.loadUnaligned(fromByteOffset: offset, as: Lanes.self) * beta2f + weight2 * gv * gv
                let denominator = v.squareRoot() / correction2Root + eps
                p.storeBytes(of: pv + stepSize * m / denominator, toByteOffset: offset, as: Lanes.self)
                m1.storeBytes(of: m, toByteOffset: offset, as: Lanes.self)
                m2.storeBytes(of: v, toByteOffset: offset, as: Lanes.self)
                i += Lanes.scalarCount
            }
        }
        while i < n {
            let g = gradient[i]
            let p = value[i] * decay
            let m = firstMoment[i] + weight1 * (g - firstMoment[i])
            let v = secondMoment[i] * beta2f + weight2 * g * g
            let denominator = v.squareRoot() / correction2Root + eps
            value[i] = p + stepSize * m / denominator
            firstMoment[i] = m
            secondMoment[i] = v
            i += 1
        }
    }
}
