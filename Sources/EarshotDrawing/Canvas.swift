#if Plot
    import CCairo

    /// A raster image being drawn: a Cairo image surface (24-bit RGB) and its drawing context. Coordinates
    /// are pixels from the top-left corner; shapes are antialiased. Write it with `writePNG(to:)`, read one
    /// back with `Canvas(contentsOfPNG:)`. Not thread-safe: one canvas per thread.
    public final class Canvas {
        public let width: Int
        public let height: Int
        /// The `cairo_surface_t`.
        let surface: OpaquePointer
        /// The `cairo_t` drawing on it.
        let context: OpaquePointer

        /// A `width` × `height` canvas filled with `background`.
        /// - Throws: `DrawingError.canvas` when Cairo cannot make it (a size of 0, over 32767, or out of memory).
        public convenience init(width: Int, height: Int, background: Color = .white) throws(DrawingError) {
            guard width > 0, height > 0, width <= 32767, height <= 32767 else {
                throw .canvas(width: width, height: height, reason: "each side must be 1 to 32767 pixels")
            }
            let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))!
            try self.init(surface: surface) { reason throws(DrawingError) in
                throw .canvas(width: width, height: height, reason: reason)
            }
            fill(Rect(x: 0, y: 0, width: Double(width), height: Double(height)), color: background)
        }

        /// Takes over `surface`, or destroys it and throws what `failure` makes of Cairo's reason.
        init(surface: OpaquePointer, failure: (String) throws(DrawingError) -> Never) throws(DrawingError) {
            let status = cairo_surface_status(surface)
            guard status == CAIRO_STATUS_SUCCESS else {
                cairo_surface_destroy(surface)
                try failure(String(cString: cairo_status_to_string(status)))
            }
            self.surface = surface
            width = Int(cairo_image_surface_get_width(surface))
            height = Int(cairo_image_surface_get_height(surface))
            context = cairo_create(surface)!
        }

        deinit {
            cairo_destroy(context)
            cairo_surface_destroy(surface)
        }

        // MARK: - Shapes

        /// Fills `rect` with `color`.
        public func fill(_ rect: Rect, color: Color) {
            setColor(color)
            cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
            cairo_fill(context)
        }

        /// Draws the outline of `rect`, `lineWidth` pixels wide, centred on its edges.
        public func stroke(_ rect: Rect, color: Color, lineWidth: Double = 1) {
            setColor(color)
            cairo_set_line_width(context, lineWidth)
            cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
            cairo_stroke(context)
        }

        /// Draws the straight line from `start` to `end`; `dash` gives on/off lengths in pixels (none: solid).
        public func line(from start: Point, to end: Point, color: Color, lineWidth: Double = 1, dash: [Double] = []) {
            polyline([start, end], color: color, lineWidth: lineWidth, dash: dash)
        }

        /// Draws line segments through `points` in order, joined with round joins.
        public func polyline(_ points: [Point], color: Color, lineWidth: Double = 1, dash: [Double] = []) {
            guard let first = points.first else { return }
            setColor(color)
            cairo_set_line_width(context, lineWidth)
            cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
            dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32($0.count), 0) }
            cairo_move_to(context, first.x, first.y)
            for point in points.dropFirst() { cairo_line_to(context, point.x, point.y) }
            cairo_stroke(context)
            cairo_set_dash(context, nil, 0, 0)
        }

        /// Fills the circle of `radius` pixels around `center`.
        public func fillCircle(center: Point, radius: Double, color: Color) {
            setColor(color)
            cairo_new_sub_path(context)
            cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
            cairo_fill(context)
        }

        /// Runs `body` with drawing limited to `rect`.
        public func clipped(to rect: Rect, _ body: () -> Void) {
            cairo_save(context)
            cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
            cairo_clip(context)
            body()
            cairo_restore(context)
        }

        func setColor(_ color: Color) {
            cairo_set_source_rgb(context, color.red, color.green, color.blue)
        }
    }
#endif
