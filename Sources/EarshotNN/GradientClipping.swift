/// Rescales the gradients of `parameters` so that their global L2 norm is at most `maxNorm`, as PyTorch's
/// `torch.nn.utils.clip_grad_norm_` does, and returns the norm *before* clipping.
///
/// ```
/// norm  = √(Σ over non-frozen parameters and elements of g²)      (accumulated in Double)
/// scale = maxNorm / (norm + 1e-6)
/// g    ← g · scale                                               only when scale < 1
/// ```
/// One global norm rather than one per tensor keeps the direction of the whole update; the 1e-6 is
/// PyTorch's, so the clipped norm ends a hair below `maxNorm` and a zero gradient never divides by zero.
/// Frozen parameters are neither counted nor scaled.
///
/// A non-finite norm (an inf or NaN gradient) is returned without touching the gradients — PyTorch
/// would multiply them all by NaN; callers should skip the step instead (see `gradientsAreFinite`).
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    precondition(maxNorm > 0, "maxNorm must be positive, got \(maxNorm)")
    var sumOfSquares: Double = 0
    for parameter in parameters where !parameter.isFrozen {
        parameter.gradient.withUnsafeBufferPointer { gradient in
            // Each square is exact in Double, and a Double sum stays accurate over millions of terms.
            for g in gradient {
                let d = Double(g)
                sumOfSquares += d * d
            }
        }
    }
    let norm = sumOfSquares.squareRoot()
    guard norm.isFinite else { return Float(norm) }
    let scale = Double(maxNorm) / (norm + 1e-6)
    if scale < 1 {
        let factor = Float(scale)
        for parameter in parameters where !parameter.isFrozen {
            parameter.gradient.withUnsafeMutableBufferPointer { gradient in
                for i in gradient.indices { gradient[i] *= factor }
            }
        }
    }
    return Float(norm)
}

/// True when no gradient of a non-frozen parameter is infinite or NaN: the check before an optimizer
/// step, so one bad batch cannot poison the weights.
public func gradientsAreFinite(_ parameters: [Parameter]) -> Bool {
    for parameter in parameters where !parameter.isFrozen {
        // x·0 is 0 for finite x and NaN for ±inf and NaN, so one sum tells, without a branch per element.
        let probe = parameter.gradient.withUnsafeBufferPointer { gradient in
            var sum: Float = 0
            for g in gradient { sum += g * 0 }
            return sum
        }
        if !probe.isFinite { return false }
    }
    return true
}
