#if Plot
    import EarshotDrawing

    /// One panel of a figure: a plot area on a canvas with its data ranges, so data can be placed in pixels,
    /// and its frame, grid, tick labels and axis titles drawn.
    public struct Chart {
        /// The plot area, in pixels.
        public let area: Rect
        /// The data range across (left → right).
        public let xRange: ClosedRange<Double>
        /// The data range up (bottom → top).
        public let yRange: ClosedRange<Double>

        public init(area: Rect, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) {
            self.area = area
            self.xRange = xRange
            self.yRange = yRange
        }

        /// The pixel column of data value `x`.
        public func px(_ x: Double) -> Double {
            area.x + (x - xRange.lowerBound) / span(xRange) * area.width
        }

        /// The pixel row of data value `y`.
        public func py(_ y: Double) -> Double {
            area.maxY - (y - yRange.lowerBound) / span(yRange) * area.height
        }

        /// The point of data (x, y).
        public func point(_ x: Double, _ y: Double) -> Point { Point(x: px(x), y: py(y)) }

        private func span(_ range: ClosedRange<Double>) -> Double {
            range.upperBound > range.lowerBound ? range.upperBound - range.lowerBound : 1
        }

        /// The title above the area, at its left.
        public func drawTitle(_ title: String, on canvas: Canvas) {
            canvas.text(
                title, at: Point(x: area.x, y: area.y - 7), font: Font(size: 13, bold: true), vertical: .bottom)
        }

        /// The frame around the area.
        public func drawFrame(on canvas: Canvas) {
            canvas.stroke(area, color: .grey, lineWidth: 1)
        }

        /// Ticks and labels of the x axis below the area, the axis title under them; `grid` draws a light
        /// line across the area at each tick.
        public func drawXAxis(
            on canvas: Canvas, title: String?, ticks: AxisTicks? = nil, grid: Bool = false,
            label: ((Double) -> String)? = nil
        ) {
            let ticks = ticks ?? AxisTicks(lower: xRange.lowerBound, upper: xRange.upperBound, count: 8)
            for value in ticks.values {
                let x = px(value)
                if grid { canvas.line(from: Point(x: x, y: area.y), to: Point(x: x, y: area.maxY), color: .lightGrey) }
                canvas.line(from: Point(x: x, y: area.maxY), to: Point(x: x, y: area.maxY + 4), color: .grey)
                canvas.text(
                    label?(value) ?? ticks.label(value), at: Point(x: x, y: area.maxY + 6), font: Font(size: 11),
                    color: .grey, horizontal: .center, vertical: .top)
            }
            if let title {
                canvas.text(
                    title, at: Point(x: area.midX, y: area.maxY + 22), font: Font(size: 12), horizontal: .center,
                    vertical: .top)
            }
        }

        /// Ticks and labels of the y axis left of the area, the axis title turned upright beside them.
        public func drawYAxis(
            on canvas: Canvas, title: String, ticks: AxisTicks? = nil, grid: Bool = false,
            label: ((Double) -> String)? = nil
        ) {
            let ticks = ticks ?? AxisTicks(lower: yRange.lowerBound, upper: yRange.upperBound, count: 5)
            var widest = 0.0
            for value in ticks.values {
                let y = py(value)
                if grid { canvas.line(from: Point(x: area.x, y: y), to: Point(x: area.maxX, y: y), color: .lightGrey) }
                canvas.line(from: Point(x: area.x - 4, y: y), to: Point(x: area.x, y: y), color: .grey)
                let text = label?(value) ?? ticks.label(value)
                widest = max(widest, canvas.textWidth(text, font: Font(size: 11)))
                canvas.text(
                    text, at: Point(x: area.x - 6, y: y), font: Font(size: 11), color: .grey, horizontal: .trailing,
                    vertical: .middle)
            }
            drawYTitle(title, on: canvas, offset: widest + 12)
        }

        /// The y axis's title, turned upright, `offset` pixels left of the area.
        public func drawYTitle(_ title: String, on canvas: Canvas, offset: Double) {
            canvas.text(
                title, at: Point(x: area.x - offset, y: area.midY), font: Font(size: 12), horizontal: .center,
                vertical: .bottom, upright: true)
        }
    }
#endif
