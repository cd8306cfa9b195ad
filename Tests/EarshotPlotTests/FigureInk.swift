#if Plot
    import EarshotDrawing

    extension Canvas {
        /// The distinct colours of the pixels inside `rect` (shrunk by `inset` pixels on each side, to keep
        /// frames and ticks out).
        func colors(in rect: Rect, inset: Int = 2) -> Set<UInt32> {
            var colors = Set<UInt32>()
            for y in (Int(rect.y) + inset)..<(Int(rect.maxY) - inset) {
                for x in (Int(rect.x) + inset)..<(Int(rect.maxX) - inset) { colors.insert(pixel(x: x, y: y).packed) }
            }
            return colors
        }

        /// How many pixels inside `rect` (shrunk by `inset`) are not white.
        func inkedPixels(in rect: Rect, inset: Int = 2) -> Int {
            var count = 0
            for y in (Int(rect.y) + inset)..<(Int(rect.maxY) - inset) {
                for x in (Int(rect.x) + inset)..<(Int(rect.maxX) - inset) where pixel(x: x, y: y) != .white {
                    count += 1
                }
            }
            return count
        }
    }
#endif
