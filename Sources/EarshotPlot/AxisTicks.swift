#if Plot
    import Foundation

    /// Round tick values for an axis: steps of 1, 2 or 5 times a power of ten, about `count` of them over
    /// [lower, upper] (Heckbert's "nice numbers"), with labels that show just the digits the step needs.
    public struct AxisTicks: Sendable, Equatable {
        /// The ticks inside [lower, upper], ascending.
        public let values: [Double]
        /// The distance between ticks.
        public let step: Double

        public init(lower: Double, upper: Double, count: Int = 6) {
            let span = upper - lower
            guard span > 0, span.isFinite, count > 0 else {
                values = lower.isFinite ? [lower] : []
                step = 1
                return
            }
            let rough = span / Double(count)
            let magnitude = pow(10, floor(log10(rough)))
            let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
            self.step = step
            let first = ceil(lower / step - 1e-9)
            let last = floor(upper / step + 1e-9)
            values = stride(from: first, through: last, by: 1).map { $0 * step }
        }

        /// Ticks at `values`, `step` apart.
        public init(values: [Double], step: Double) {
            self.values = values
            self.step = step
        }

        /// `value` with as many decimals as the step has (0.5 → "0.5", 2 → "2"), or in two significant digits
        /// when the step is below 0.001 ("0.0003", "1.2e-05").
        public func label(_ value: Double) -> String {
            if step < 0.001 { return String(format: "%.2g", value) }
            let decimals = max(0, Int(ceil(-log10(step) - 1e-9)))
            return String(format: "%.\(decimals)f", abs(value) < step / 2 ? 0 : value)
        }
    }
#endif
