/// A dense matrix of `Float`, stored row-major in one contiguous array.
///
/// Element `(r, c)` lives at `storage[r * columns + c]`, so a row is contiguous and the leading
/// dimension is `columns`. This is the layout `cblas_sgemm` calls `CblasRowMajor` with `ld = columns`,
/// and the layout of a `(T, F)` feature matrix or a `(H, F)` weight matrix in the rest of Earshot.
///
/// Why a plain value type: weights and activations are copied rarely and mutated in place often;
/// copy-on-write `[Float]` gives both, and `withUnsafe(Mutable)BufferPointer` hands the hot paths a
/// raw pointer without a copy. The shape is fixed at creation; only the values change.
public struct Matrix: Equatable, Sendable {
    /// Number of rows (the first dimension of the shape `(rows, columns)`).
    public let rows: Int
    /// Number of columns; also the leading dimension (row stride) of `storage`.
    public let columns: Int
    /// `(rows, columns)`, row-major; `storage.count == rows * columns`.
    public private(set) var storage: [Float]

    /// A `(rows, columns)` matrix with every element equal to `value` (zero by default).
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape must be non-negative, got (\(rows), \(columns))")
        self.rows = rows
        self.columns = columns
        self.storage = [Float](repeating: value, count: rows * columns)
    }

    /// A `(rows, columns)` matrix over existing row-major values; `storage.count` must be
    /// `rows * columns`.
    public init(rows: Int, columns: Int, storage: [Float]) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape must be non-negative, got (\(rows), \(columns))")
        precondition(
            storage.count == rows * columns,
            "Matrix (\(rows), \(columns)) needs \(rows * columns) values, got \(storage.count)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from nested rows, e.g. `Matrix([[1, 2, 3], [4, 5, 6]])` is `(2, 3)`; all rows must
    /// have the same length. Meant for tests and small constants.
    public init(_ rowValues: [[Float]]) {
        let columns = rowValues.first?.count ?? 0
        precondition(rowValues.allSatisfy { $0.count == columns }, "Matrix rows must all have \(columns) values")
        self.init(rows: rowValues.count, columns: columns, storage: rowValues.flatMap { $0 })
    }

    /// The shape `(rows, columns)`.
    public var shape: (rows: Int, columns: Int) { (rows, columns) }

    /// Element `(row, column)`, bounds-checked.
    public subscript(row: Int, column: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return storage[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            storage[row * columns + column] = newValue
        }
    }

    /// Row `row` as a fresh array of `columns` values.
    public func row(_ row: Int) -> [Float] {
        precondition(row >= 0 && row < rows, "Matrix row out of range")
        return Array(storage[(row * columns)..<((row + 1) * columns)])
    }

    /// The `(columns, rows)` transpose, as a new matrix. For products prefer the `transpose` flags of
    /// `BLAS.sgemm`, which read the original without copying.
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for r in 0..<rows {
            for c in 0..<columns {
                result.storage[c * rows + r] = storage[r * columns + c]
            }
        }
        return result
    }

    /// Calls `body` with the row-major values, `rows * columns` of them, leading dimension `columns`.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable access to the row-major values; the count cannot change.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { buffer in try body(buffer) }
    }
}
