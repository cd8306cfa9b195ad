#if Plot
    import CCairo

    /// How text is set: a size in pixels and a weight, in the sans-serif face fontconfig finds ("DejaVu Sans"
    /// on Debian, which libcairo2's dependencies install).
    public struct Font: Sendable, Equatable {
        /// The em size in pixels.
        public var size: Double
        public var bold: Bool

        public init(size: Double, bold: Bool = false) {
            self.size = size
            self.bold = bold
        }

        public static let family = "DejaVu Sans"
    }

    /// Where text sits relative to the point it is drawn at, across its line.
    public enum HorizontalAlignment: Sendable {
        case leading, center, trailing
    }

    /// Where text sits relative to the point it is drawn at, along its height.
    public enum VerticalAlignment: Sendable {
        /// The point is at the top of the font's ascent.
        case top
        /// The point is halfway between the ascent's top and the baseline.
        case middle
        case baseline
        /// The point is at the bottom of the font's descent.
        case bottom
    }

    extension Canvas {
        /// Draws one line of `text` at `point`, aligned as asked; `upright` turns it a quarter turn
        /// counter-clockwise (reading bottom to top, as a y axis's label does), the alignment then following
        /// the turned line.
        public func text(
            _ text: String, at point: Point, font: Font, color: Color = .ink,
            horizontal: HorizontalAlignment = .leading, vertical: VerticalAlignment = .baseline, upright: Bool = false
        ) {
            select(font)
            var extents = cairo_text_extents_t()
            cairo_text_extents(context, text, &extents)
            var fontExtents = cairo_font_extents_t()
            cairo_font_extents(context, &fontExtents)
            let dx: Double
            switch horizontal {
            case .leading: dx = 0
            case .center: dx = -extents.x_advance / 2
            case .trailing: dx = -extents.x_advance
            }
            let dy: Double
            switch vertical {
            case .top: dy = fontExtents.ascent
            case .middle: dy = fontExtents.ascent * 0.4
            case .baseline: dy = 0
            case .bottom: dy = -fontExtents.descent
            }
            cairo_save(context)
            cairo_translate(context, point.x, point.y)
            if upright { cairo_rotate(context, -Double.pi / 2) }
            setColor(color)
            cairo_move_to(context, dx, dy)
            cairo_show_text(context, text)
            cairo_restore(context)
        }

        /// The advance width of `text` in `font`, in pixels.
        public func textWidth(_ text: String, font: Font) -> Double {
            select(font)
            var extents = cairo_text_extents_t()
            cairo_text_extents(context, text, &extents)
            return extents.x_advance
        }

        private func select(_ font: Font) {
            cairo_select_font_face(
                context, Font.family, CAIRO_FONT_SLANT_NORMAL,
                font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
            cairo_set_font_size(context, font.size)
        }
    }
#endif
