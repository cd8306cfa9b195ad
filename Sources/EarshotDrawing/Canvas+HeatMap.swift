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
        ///
        /// A grid with more than four cells per pixel across (or down) is drawn at four per pixel, each drawn
        /// cell showing the largest value of the cells it covers, so a peak one cell wide (a character's spike
        /// in an hour of steps) stays visible and the grid's image stays within Cairo's 32767-pixel limit.
        /// - Throws: `DrawingError.canvas` when the grid's image cannot be made (out of memory).
        public func heatMap(
            in rect: Rect, columns: Int, rows: Int, map: ColorMap, scaling: HeatMapScaling = .blocks,
            value: (_ column: Int, _ row: Int) -> Double
        ) throws(DrawingError) {
            guard columns > 0, rows > 0, rect.width > 0, rect.height > 0 else { return }
            let drawnColumns = min(columns, max(1, Int((rect.width * 4).rounded(.up))))
            let drawnRows = min(rows, max(1, Int((rect.height * 4).rounded(.up))))
            // The grid as its own small image, one pixel per drawn cell, scaled into `rect` when painted.
            let cells = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(drawnColumns), Int32(drawnRows))!
            defer { cairo_surface_destroy(cells) }
            let status = cairo_surface_status(cells)
            guard status == CAIRO_STATUS_SUCCESS else {
                throw .canvas(
                    width: drawnColumns, height: drawnRows, reason: String(cString: cairo_status_to_string(status)))
            }
            cairo_surface_flush(cells)
            let stride = Int(cairo_image_surface_get_stride(cells))
            let data = UnsafeMutableRawPointer(cairo_image_surface_get_data(cells)!)
            /// The grid cells drawn cell `index` of `drawn` covers, of `count`.
            func covered(_ index: Int, _ drawn: Int, _ count: Int) -> Range<Int> {
                (index * count / drawn)..<max(index * count / drawn + 1, (index + 1) * count / drawn)
            }
            for row in 0..<drawnRows {
                let line = (data + row * stride).assumingMemoryBound(to: UInt32.self)
                let gridRows = covered(row, drawnRows, rows)
                for column in 0..<drawnColumns {
                    var largest = -Double.infinity
                    for gridColumn in covered(column, drawnColumns, columns) {
                        for gridRow in gridRows { largest = max(largest, value(gridColumn, gridRow)) }
                    }
                    line[column] = map.color(at: largest).packed
                }
            }
            cairo_surface_mark_dirty(cells)
            cairo_save(context)
            cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
            cairo_clip(context)
            cairo_translate(context, rect.x, rect.y)
            cairo_scale(context, rect.width / Double(drawnColumns), rect.height / Double(drawnRows))
            cairo_set_source_surface(context, cells, 0, 0)
            let pattern = cairo_get_source(context)
            cairo_pattern_set_filter(pattern, scaling == .blocks ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_BILINEAR)
            cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)  // no fading into transparency at the edges
            cairo_paint(context)
            cairo_restore(context)
        }
    }
#endif
