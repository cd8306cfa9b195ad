#if Plot
    import CCairo
    import EarshotIO
    import Foundation

    extension Canvas {
        /// The canvas encoded as a PNG file (8-bit RGB).
        /// - Throws: `DrawingError.encoding` with Cairo's reason.
        public func pngData() throws(DrawingError) -> Data {
            // Cairo stops drawing at its first error (a NaN coordinate, say) and ignores everything after it:
            // a picture cut short is an error, not a file.
            let drawing = cairo_status(context)
            guard drawing == CAIRO_STATUS_SUCCESS else {
                throw .encoding(reason: "drawing failed: " + String(cString: cairo_status_to_string(drawing)))
            }
            final class Sink { var data = Data() }
            let sink = Sink()
            cairo_surface_flush(surface)
            let status = cairo_surface_write_to_png_stream(
                surface,
                { closure, bytes, length in
                    let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
                    sink.data.append(bytes!, count: Int(length))
                    return CAIRO_STATUS_SUCCESS
                }, Unmanaged.passUnretained(sink).toOpaque())
            guard status == CAIRO_STATUS_SUCCESS else {
                throw .encoding(reason: String(cString: cairo_status_to_string(status)))
            }
            return withExtendedLifetime(sink) { sink.data }
        }

        /// Writes the canvas as a PNG file at `path`, atomically (`AtomicFile`: a temporary file renamed over it).
        /// - Throws: `DrawingError.encoding`, or `AtomicFileError` naming `path` and the system's reason.
        public func writePNG(to path: String) throws {
            try AtomicFile.write(pngData(), to: path)
        }

        /// Reads a PNG file with Cairo's own reader (`cairo_image_surface_create_from_png`), to look at its
        /// pixels.
        /// - Throws: `DrawingError.reading` naming `path` and Cairo's reason (missing, not a PNG, …).
        public convenience init(contentsOfPNG path: String) throws(DrawingError) {
            let surface = cairo_image_surface_create_from_png(path)!
            try self.init(surface: surface) { reason throws(DrawingError) in
                throw .reading(path: path, reason: reason)
            }
        }

        /// The colour of the pixel at column `x`, row `y` (what the canvas holds now; a translucent pixel of a
        /// PNG read back is given as it would show over black).
        public func pixel(x: Int, y: Int) -> Color {
            precondition((0..<width).contains(x) && (0..<height).contains(y), "pixel (\(x), \(y)) is off the canvas")
            cairo_surface_flush(surface)
            let stride = Int(cairo_image_surface_get_stride(surface))
            let data = UnsafeRawPointer(cairo_image_surface_get_data(surface)!)
            let packed = data.load(fromByteOffset: y * stride + x * 4, as: UInt32.self)
            return Color(hex: packed & 0xFF_FFFF)
        }
    }
#endif
