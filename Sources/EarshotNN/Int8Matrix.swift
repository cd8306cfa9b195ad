internal import CEarshotKernels

/// A weight matrix `W (N, K)` held as 8-bit integers with one scale per row, for inference products with
/// activations quantised on the fly (the scheme of PyTorch's dynamic quantization, per row on both sides).
///
/// The scheme (the C kernels in CEarshotKernels compute exactly this):
///
///     weights, once:     s_n = max_k |W[n][k]| / 127,   q_nk = round(W[n][k] / s_n) ∈ [−127, 127]
///     activations, per product and per row m of X (M, K) ("dynamic"):
///                        t_m = max_k |X[m][k]| / 127,   p_mk = round(X[m][k] / t_m) ∈ [−127, 127]
///     product:           Y[m][n] = float(Σ_k p_mk · q_nk) · (t_m · s_n)     (the sum exact in int32)
///
/// Rounding is to nearest, ties to even. A row of zeros gets scale 0 and all-zero integers. The error of
/// one product term is at most half a step of each factor, so `|Y − X·Wᵀ|` is bounded by
/// `Σ_k (|X[m][k]|·s_n + |W[n][k]|·t_m) / 2 + K·t_m·s_n / 4` (checked in Int8MatrixTests).
///
/// Three kernel paths compute the same integer sums and the same float operations in the same order, so
/// their results are bit-identical (tests force each path the CPU has and compare): AVX-512 VNNI
/// (`vpdpbusd`, 16 outputs per register, up to 4 × 64 outputs per tile), AVX2 (`vpmaddubsw` on `|q|` and
/// `sign(p, q)`, then `vpmaddwd`), and a scalar fallback for CPUs without AVX2. `KernelPath.best` is
/// what this CPU runs fastest.
///
/// Storage: `ceil(N/16)·16 × ceil(K/4)·4` bytes, blocks of 16 rows × 4 columns (64 bytes, one AVX-512
/// register) — a quarter of the float matrix, so `W_hh (1024, 256)` of the reference model is 256 KiB and
/// stays in a 1 MiB L2 cache with room to spare. Immutable after `init`; shared freely.
public final class Int8Matrix: @unchecked Sendable {
    /// The instruction paths of the product.
    public enum KernelPath: String, CaseIterable, Sendable, CustomStringConvertible {
        /// Plain C loops: the reference, and the fallback on CPUs without AVX2.
        case scalar
        /// AVX2 byte multiply–adds (`vpmaddubsw` + `vpmaddwd`).
        case avx2
        /// AVX-512 VNNI (`vpdpbusd`), with AVX-512 F, BW and VL.
        case avx512VNNI = "avx512-vnni"

        /// Whether this CPU and operating system run the path (cpuid and the saved register state).
        public var isSupported: Bool { ek_path_supported(cPath) != 0 }

        /// The fastest path this CPU runs.
        public static let best: KernelPath = [.avx512VNNI, .avx2].first(where: \.isSupported) ?? .scalar

        public var description: String { rawValue }

        var cPath: ek_path {
            switch self {
            case .scalar: return EK_PATH_SCALAR
            case .avx2: return EK_PATH_AVX2
            case .avx512VNNI: return EK_PATH_AVX512_VNNI
            }
        }
    }

    /// `N`, output rows.
    public let rows: Int
    /// `K`, values per row (the inner dimension of the product).
    public let columns: Int
    /// The kernel path every product of this matrix takes.
    public let path: KernelPath
    /// `ceil(K/4)·4`: bytes per quantised activation row.
    let paddedColumns: Int
    /// The packed integers (see the type's documentation), 64-byte aligned.
    private let packed: UnsafeMutablePointer<Int8>
    /// `(ceil(N/16)·16)`: `s_n`, 0 in the padding.
    private let scales: UnsafeMutablePointer<Float>
    /// `(ceil(N/16)·16)`: `Σ_k q_nk` (the VNNI path's correction for its unsigned activations).
    private let rowSums: UnsafeMutablePointer<Int32>

    /// Quantises `W (rows, columns)`, rows `stride` floats apart (default `columns`).
    ///
    /// - Precondition: `path.isSupported`; `1 ≤ columns ≤ 65536` (so that the VNNI path's unsigned sums,
    ///   at most `255 · 127 · K`, fit in 32 bits); the weights are finite.
    public init(
        quantizing weights: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int? = nil,
        path: KernelPath = .best
    ) {
        let stride = stride ?? columns
        precondition(rows > 0 && columns > 0 && columns <= 65536, "Int8Matrix(\(rows), \(columns))")
        precondition(stride >= columns, "stride \(stride) < columns \(columns)")
        precondition(path.isSupported, "kernel path \(path) is not supported by this CPU")
        self.rows = rows
        self.columns = columns
        self.path = path
        paddedColumns = Int(ek_padded_columns(Int32(columns)))
        let paddedRows = Int(ek_padded_rows(Int32(rows)))
        packed = UnsafeMutableRawPointer.allocate(byteCount: paddedRows * paddedColumns, alignment: 64)
            .bindMemory(to: Int8.self, capacity: paddedRows * paddedColumns)
        scales = .allocate(capacity: paddedRows)
        rowSums = .allocate(capacity: paddedRows)
        ek_quantize_pack_weights(weights, Int32(rows), Int32(columns), Int32(stride), packed, scales, rowSums)
    }

    /// Quantises `W (rows, columns)` row-major.
    public convenience init(quantizing weights: [Float], rows: Int, columns: Int, path: KernelPath = .best) {
        precondition(weights.count == rows * columns, "\(weights.count) weights for (\(rows), \(columns))")
        // A copy, because `self.init` cannot run inside `withUnsafeBufferPointer`'s closure.
        let copy = UnsafeMutablePointer<Float>.allocate(capacity: weights.count)
        copy.initialize(from: weights, count: weights.count)
        defer { copy.deallocate() }
        self.init(quantizing: copy, rows: rows, columns: columns, path: path)
    }

    deinit {
        packed.deallocate()
        scales.deallocate()
        rowSums.deallocate()
    }

    /// `Y (m, N)`, rows `stride` floats apart (≥ N): `Y = X̂·Ŵᵀ`, or `Y += X̂·Ŵᵀ` with `accumulate`, for
    /// the first `m` rows of `activations` (quantised by `Int8Activations.quantize` with `K` columns).
    public func multiply(
        _ activations: Int8Activations, rows m: Int, into y: UnsafeMutablePointer<Float>, stride: Int,
        accumulate: Bool
    ) {
        precondition(
            activations.columns == columns, "activations have \(activations.columns) columns, W has \(columns)")
        precondition(m >= 0 && m <= activations.rows, "\(m) rows of \(activations.rows) quantised")
        precondition(stride >= rows, "stride \(stride) < N = \(rows)")
        ek_gemm_u8s8(
            Int32(m), Int32(rows), Int32(paddedColumns), activations.values, Int32(paddedColumns), activations.scales,
            packed, scales, rowSums, y, Int32(stride), accumulate ? 1 : 0, path.cPath)
    }

    /// `s_n`, the scale of each row.
    public var rowScales: [Float] { Array(UnsafeBufferPointer(start: scales, count: rows)) }

    /// The integers `q (N, K)` row-major, unpacked.
    public var integers: [Int8] {
        var q = [Int8](repeating: 0, count: rows * columns)
        let groups = paddedColumns / 4
        for n in 0..<rows {
            let block = packed + (n / 16) * groups * 64 + (n % 16) * 4
            for k in 0..<columns { q[n * columns + k] = block[(k / 4) * 64 + k % 4] }
        }
        return q
    }
}

/// Activations `X (M, K)` quantised per row for `Int8Matrix.multiply` (`p_mk + 128` as bytes, scale
/// `t_m`; see `Int8Matrix`). Caller-owned scratch, grown as needed, never shrunk; one per thread.
public final class Int8Activations {
    /// `K` of the last `quantize`.
    public private(set) var columns = 0
    /// Rows of the last `quantize`.
    public private(set) var rows = 0
    private var capacity = 0
    private var scaleCapacity = 0
    /// `(M, ceil(K/4)·4)` bytes.
    private(set) var values = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    /// `(M)`: `t_m`.
    private(set) var scales = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    public init() {}

    deinit {
        values.deallocate()
        scales.deallocate()
    }

    /// Quantises `rows` rows of `columns` values, `stride` floats apart (≥ `columns`; finite values).
    public func quantize(_ x: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int) {
        precondition(rows >= 0 && columns > 0 && stride >= columns, "quantize(\(rows), \(columns), stride \(stride))")
        let padded = Int(ek_padded_columns(Int32(columns)))
        if rows * padded > capacity {
            values.deallocate()
            capacity = rows * padded
            values = .allocate(capacity: capacity)
        }
        if rows > scaleCapacity {
            scales.deallocate()
            scaleCapacity = rows
            scales = .allocate(capacity: rows)
        }
        self.rows = rows
        self.columns = columns
        ek_quantize_activations(x, Int32(rows), Int32(columns), Int32(stride), values, Int32(padded), scales)
    }
}
