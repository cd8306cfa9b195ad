#if Plot
    import CCairo

    /// How a heat map's cells are scaled to the rectangle they fill.
    public enum HeatMapScaling: Sendable {
        /// Each cell a sharp block (classes, steps).
        case blocks
        /// Bilinear between cell centres (a smooth field such as a spectrogram).
        case smooth
    }

    extension Canvas {
        /// Fills `rect` with a `columns` × `rows` grid of values through `map`: `value(column, row)` in [0, 1],
        /// column 0 at the left, row 0 at the top.
        public func heatMap(
            in rect: Rect, columns: Int, rows: Int, map: ColorMap, scaling: HeatMapScaling = .blocks,
            value: (_ column: Int, _ row: Int) -> Double
        ) {
            guard columns > 0, rows > 0, rect.width > 0, rect.height > 0 else { return }
            // The grid as its own small image, one pixel per cell, scaled into `rect` when painted.
            guard let cells = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(columns), Int32(rows)),
                cairo_surface_status(cells) == CAIRO_STATUS_SUCCESS
            else { return }
            defer { cairo_surface_destroy(cells) }
            cairo_surface_flush(cells)
            let stride = Int(cairo_image_surface_get_stride(cells))
            let data = UnsafeMutableRawPointer(cairo_image_surface_get_data(cells)!)
            for row in 0..<rows {
                let line = (data + row * stride).assumingMemoryBound(to: UInt32.self)
                for column in 0..<columns { line[column] = map.color(at: value(column, row)).packed }
            }
            cairo_surface_mark_dirty(cells)
            cairo_save(context)
            cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
            cairo_clip(context)
            cairo_translate(context, rect.x, rect.y)
            cairo_scale(context, rect.width / Double(columns), rect.height / Double(rows))
            cairo_set_source_surface(context, cells, 0, 0)
            let pattern = cairo_get_source(context)
            cairo_pattern_set_filter(pattern, scaling == .blocks ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_BILINEAR)
            cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)  // no fading into transparency at the edges
            cairo_paint(context)
            cairo_restore(context)
        }
    }
#endif
