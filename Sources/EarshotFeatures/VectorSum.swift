/// `Σ x[i]` over `count` doubles, in 8 independent lanes. A plain running sum is one chain of
/// dependent additions (4 cycles each) that the compiler may not reorder; eight partial sums let the
/// additions run in parallel.
@inline(__always)
func vectorSum(_ x: UnsafePointer<Double>, count: Int) -> Double {
    let raw = UnsafeRawPointer(x)
    var lanes = SIMD8<Double>()
    var i = 0
    while i + 8 <= count {
        lanes += raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD8<Double>.self)
        i += 8
    }
    var sum = lanes.sum()
    while i < count {
        sum += x[i]
        i += 1
    }
    return sum
}

/// `Σ x[i]²` over `count` doubles, in 8 independent lanes (see `vectorSum`).
@inline(__always)
func vectorSumOfSquares(_ x: UnsafePointer<Double>, count: Int) -> Double {
    let raw = UnsafeRawPointer(x)
    var lanes = SIMD8<Double>()
    var i = 0
    while i + 8 <= count {
        let v = raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD8<Double>.self)
        lanes += v * v
        i += 8
    }
    var sum = lanes.sum()
    while i < count {
        sum += x[i] * x[i]
        i += 1
    }
    return sum
}
