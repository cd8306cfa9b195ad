#if Plot
    import EarshotDrawing
    import EarshotIO
    import EarshotTestSupport
    import Foundation
    import Testing

    /// What a `Canvas` draws is what a PNG reader finds: drawn, encoded by Cairo, decoded again by Cairo's own
    /// reader (`cairo_image_surface_create_from_png`), and the header read from the bytes.
    @Suite struct CanvasTests {
        @Test func rectangleSurvivesThePNGRoundTrip() throws {
            try withTemporaryDirectory { folder in
                let canvas = try Canvas(width: 120, height: 80)
                canvas.fill(Rect(x: 20, y: 10, width: 40, height: 30), color: .red)
                let path = folder.appendingPathComponent("box.png").path
                try canvas.writePNG(to: path)

                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let header = try #require(PNGHeader(data: data))
                #expect(header.width == 120 && header.height == 80)
                #expect(header.bitDepth == 8 && header.colorType == 2)  // 8-bit RGB, as Cairo writes RGB24

                let read = try Canvas(contentsOfPNG: path)
                #expect(read.width == 120 && read.height == 80)
                #expect(read.pixel(x: 40, y: 25) == .red)
                #expect(read.pixel(x: 20, y: 10) == .red)  // the corner pixel is inside
                #expect(read.pixel(x: 19, y: 25) == .white)  // one left of the box
                #expect(read.pixel(x: 60, y: 25) == .white)  // one right of it
                #expect(read.pixel(x: 119, y: 79) == .white)
            }
        }

        @Test func heatMapCellsTakeTheirColoursFromTheMap() throws {
            let canvas = try Canvas(width: 40, height: 20)
            // Columns 0…3 with values 0, 1/3, 2/3, 1 on row 0; row 1 all 1.
            try canvas.heatMap(in: Rect(x: 0, y: 0, width: 40, height: 20), columns: 4, rows: 2, map: .viridis) {
                column, row in row == 0 ? Double(column) / 3 : 1
            }
            for column in 0..<4 {
                let expected = ColorMap.viridis.color(at: Double(column) / 3)
                #expect(canvas.pixel(x: column * 10 + 5, y: 5).packed == expected.packed, "column \(column)")
            }
            #expect(canvas.pixel(x: 5, y: 15) == ColorMap.viridis.stops.last!)
        }

        /// 100 000 columns in 100 pixels (beyond Cairo's 32767-pixel images): drawn at four per pixel, a
        /// one-column peak still shows, where it is.
        @Test func aGridWiderThanThePixelsKeepsItsPeaks() throws {
            let canvas = try Canvas(width: 100, height: 10)
            try canvas.heatMap(in: Rect(x: 0, y: 0, width: 100, height: 10), columns: 100_000, rows: 1, map: .viridis) {
                column, _ in column == 54_321 ? 1 : 0
            }
            let top = ColorMap.viridis.stops.last!, bottom = ColorMap.viridis.stops[0]
            let peak = (0..<100).filter { canvas.pixel(x: $0, y: 5) == top }
            #expect(peak == [54])
            #expect(canvas.pixel(x: 10, y: 5) == bottom && canvas.pixel(x: 90, y: 5) == bottom)
        }

        @Test func textLeavesInkInItsBoxOnly() throws {
            let canvas = try Canvas(width: 200, height: 40)
            let font = Font(size: 20, bold: true)
            canvas.text("Earshot", at: Point(x: 10, y: 30), font: font, color: .black)
            let width = canvas.textWidth("Earshot", font: font)
            #expect(width > 50 && width < 150)
            let ink = inkedPixels(canvas, Rect(x: 10, y: 10, width: width, height: 25))
            #expect(ink > 100, "the text left \(ink) dark pixels")
            #expect(inkedPixels(canvas, Rect(x: 12 + width, y: 0, width: 200 - 12 - width, height: 40)) == 0)
        }

        @Test func colorMapsInterpolateBetweenTheirStops() {
            let map = ColorMap(stops: [.black, .white])
            #expect(map.color(at: 0) == .black)
            #expect(map.color(at: 1) == .white)
            #expect(map.color(at: 0.5).packed == 0x80_8080)
            #expect(map.color(at: -3) == .black && map.color(at: 7) == .white && map.color(at: .nan) == .black)
        }

        /// Cairo ignores everything after its first error: a drawing cut short that way is not written.
        @Test func aDrawingCutShortByAnErrorIsNotEncoded() throws {
            let canvas = try Canvas(width: 10, height: 10)
            canvas.text("x", at: Point(x: .nan, y: 5), font: Font(size: 10))
            let error = try #require(throws: DrawingError.self) { try canvas.pngData() }
            #expect(error.description.hasPrefix("cannot encode the image as PNG: drawing failed: "))
        }

        @Test func aCanvasOfNoSizeIsRefused() {
            #expect(throws: DrawingError.canvas(width: 0, height: 10, reason: "each side must be 1 to 32767 pixels")) {
                try Canvas(width: 0, height: 10)
            }
        }

        @Test func aFileThatIsNotAPNGIsNamedWhenRead() throws {
            try withTemporaryDirectory { folder in
                let path = folder.appendingPathComponent("fake.png").path
                try Data("not an image".utf8).write(to: URL(fileURLWithPath: path))
                let error = try #require(throws: DrawingError.self) { try Canvas(contentsOfPNG: path) }
                #expect(error.description.hasPrefix("\(path): not a readable PNG image: "))
                #expect(throws: DrawingError.self) {
                    try Canvas(contentsOfPNG: folder.appendingPathComponent("none").path)
                }
            }
        }

        /// A PNG that cannot be written (its folder does not exist) is an `AtomicFileError` naming it, and
        /// leaves nothing behind.
        @Test func anUnwritablePathIsNamed() throws {
            try withTemporaryDirectory { folder in
                let path = folder.appendingPathComponent("missing/picture.png").path
                let error = try #require(throws: AtomicFileError.self) {
                    try Canvas(width: 10, height: 10).writePNG(to: path)
                }
                #expect(error.path == path)
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
            }
        }

        /// Pixels in `rect` darker than mid grey.
        private func inkedPixels(_ canvas: Canvas, _ rect: Rect) -> Int {
            var count = 0
            for y in Int(rect.y)..<min(canvas.height, Int(rect.maxY)) {
                for x in Int(rect.x)..<min(canvas.width, Int(rect.maxX)) where canvas.pixel(x: x, y: y).green < 0.5 {
                    count += 1
                }
            }
            return count
        }
    }
#endif
