#if Plot
    /// A colour map: a value in [0, 1] to a colour, interpolated linearly between evenly spaced stops
    /// (values outside [0, 1] take the end colours).
    public struct ColorMap: Sendable, Equatable {
        /// The colours at 0, 1/(n−1), …, 1 (at least two).
        public let stops: [Color]

        public init(stops: [Color]) {
            precondition(stops.count >= 2, "a colour map needs at least two stops")
            self.stops = stops
        }

        /// The colour of `value` (0 → first stop, 1 → last; NaN → first).
        public func color(at value: Double) -> Color {
            guard value > 0 else { return stops[0] }
            guard value < 1 else { return stops[stops.count - 1] }
            let position = value * Double(stops.count - 1)
            let index = Int(position)
            return stops[index].mixed(with: stops[index + 1], position - Double(index))
        }

        /// matplotlib's viridis (dark blue → green → yellow), perceptually uniform and legible in grey: the
        /// posteriorgram's probabilities.
        public static let viridis = ColorMap(
            stops: [0x440154, 0x472C7A, 0x3B518B, 0x2C718E, 0x21908D, 0x27AD81, 0x5CC863, 0xAADC32, 0xFDE725].map(
                Color.init(hex:)))

        /// matplotlib's magma (black → purple → orange → light yellow): the spectrogram's log energies.
        public static let magma = ColorMap(
            stops: [0x000004, 0x1C1044, 0x4F127B, 0x812581, 0xB5367A, 0xE55964, 0xFB8761, 0xFEC287, 0xFCFDBF].map(
                Color.init(hex:)))

        /// Red → amber → green: confidences, low to high.
        public static let confidence = ColorMap(stops: [0xD62728, 0xF0A30A, 0x2CA02C].map(Color.init(hex:)))
    }
#endif
