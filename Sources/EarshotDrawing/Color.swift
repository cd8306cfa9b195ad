#if Plot
    /// An opaque colour, each component in [0, 1] (sRGB, as Cairo and PNG store it).
    public struct Color: Sendable, Equatable, Hashable {
        public var red: Double
        public var green: Double
        public var blue: Double

        public init(red: Double, green: Double, blue: Double) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// `0xRRGGBB`.
        public init(hex: UInt32) {
            self.init(
                red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                blue: Double(hex & 0xFF) / 255)
        }

        /// The colour as 8-bit components packed `0x00RRGGBB`, as a Cairo RGB24 pixel holds it.
        public var packed: UInt32 {
            func byte(_ value: Double) -> UInt32 { UInt32((min(max(value, 0), 1) * 255).rounded()) }
            return byte(red) << 16 | byte(green) << 8 | byte(blue)
        }

        /// The straight mix `(1 − t)·self + t·other`.
        public func mixed(with other: Color, _ t: Double) -> Color {
            Color(
                red: red + (other.red - red) * t, green: green + (other.green - green) * t,
                blue: blue + (other.blue - blue) * t)
        }

        public static let white = Color(hex: 0xFFFFFF)
        public static let black = Color(hex: 0x000000)
        /// Text and axes.
        public static let ink = Color(hex: 0x222222)
        /// Secondary text, tick labels.
        public static let grey = Color(hex: 0x666666)
        /// Grid lines.
        public static let lightGrey = Color(hex: 0xDDDDDD)
        public static let blue = Color(hex: 0x1F77B4)
        public static let orange = Color(hex: 0xFF7F0E)
        public static let green = Color(hex: 0x2CA02C)
        public static let red = Color(hex: 0xD62728)
        public static let purple = Color(hex: 0x9467BD)
    }
#endif
