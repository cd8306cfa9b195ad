#if Plot
    import EarshotDrawing
    import EarshotTraining
    import Foundation

    /// One picture of how a training run went, epoch by epoch, in four panels: the mean training loss, the
    /// validation CER and WER (the best CER marked), the learning rate, and the batches skipped for a
    /// non-finite loss or gradient.
    public struct TrainingFigure {
        /// Where the history came from, in the title.
        public var name: String
        /// The finished epochs, in order (at least one).
        public var epochs: [EpochSummary]
        /// The picture's width in pixels; the height is fixed (`Layout.height`).
        public var width: Int

        public init(name: String, epochs: [EpochSummary], width: Int) {
            precondition(!epochs.isEmpty, "a training figure needs at least one epoch")
            precondition(ClipFigure.widths.contains(width), "width \(width) outside \(ClipFigure.widths)")
            self.name = name
            self.epochs = epochs
            self.width = width
        }

        /// Where each panel's plot area lies, in pixels: two rows of two.
        public struct Layout: Sendable {
            public var loss: Rect
            public var errorRates: Rect
            public var learningRate: Rect
            public var skippedBatches: Rect
            public var height: Int

            init(width: Int) {
                let left = 84.0, gap = 96.0, right = 24.0
                let panelWidth = (Double(width) - left - gap - right) / 2
                let top = 86.0, panelHeight = 230.0, rowGap = 96.0
                func area(_ column: Int, _ row: Int) -> Rect {
                    Rect(
                        x: left + Double(column) * (panelWidth + gap), y: top + Double(row) * (panelHeight + rowGap),
                        width: panelWidth, height: panelHeight)
                }
                loss = area(0, 0)
                errorRates = area(1, 0)
                learningRate = area(0, 1)
                skippedBatches = area(1, 1)
                height = Int(skippedBatches.maxY + 62)
            }
        }

        public var layout: Layout { Layout(width: width) }

        /// Draws the picture.
        /// - Throws: `DrawingError.canvas` when the canvas cannot be made.
        public func draw() throws(DrawingError) -> Canvas {
            let layout = self.layout
            let canvas = try Canvas(width: width, height: layout.height)
            let numbers = epochs.map { Double($0.epoch + 1) }
            let xRange = (numbers.min()! - 0.5)...(numbers.max()! + 0.5)
            let best = epochs.min { $0.validationCER < $1.validationCER }!
            canvas.text(name, at: Point(x: 84, y: 28), font: Font(size: 17, bold: true))
            canvas.text(
                "\(epochs.count) epoch\(epochs.count == 1 ? "" : "s"); best validation CER "
                    + String(
                        format: "%.2f %% (WER %.2f %%) after epoch %d", best.validationCER * 100,
                        best.validationWER * 100, best.epoch + 1)
                    + "; " + duration(epochs.reduce(0) { $0 + $1.seconds }) + " of training and validation",
                at: Point(x: 84, y: 50), font: Font(size: 12), color: .grey)

            let losses = epochs.map(\.trainingLoss)
            lineChart(
                in: layout.loss, title: "Training loss (mean per batch)", yTitle: "CTC loss (nats per utterance)",
                xRange: xRange, series: [(numbers, losses, .blue, "loss")], on: canvas)

            let cer = epochs.map { $0.validationCER * 100 }, wer = epochs.map { $0.validationWER * 100 }
            let rates = lineChart(
                in: layout.errorRates, title: "Validation CER, WER (greedy)", yTitle: "error rate (%)",
                xRange: xRange, series: [(numbers, cer, .blue, "CER"), (numbers, wer, .orange, "WER")], on: canvas)
            let bestPoint = rates.point(Double(best.epoch + 1), best.validationCER * 100)
            canvas.fillCircle(center: bestPoint, radius: 6, color: .green)
            canvas.fillCircle(center: bestPoint, radius: 3.5, color: .white)
            canvas.text(
                "○ best CER", at: Point(x: layout.errorRates.x + 8, y: layout.errorRates.maxY - 10),
                font: Font(size: 11),
                color: .green)

            if epochs.contains(where: { $0.learningRate == nil }) {
                notRecorded(in: layout.learningRate, title: "Learning rate (last step of each epoch)", on: canvas)
            } else {
                lineChart(
                    in: layout.learningRate, title: "Learning rate (last step of each epoch)", yTitle: "learning rate",
                    xRange: xRange, series: [(numbers, epochs.map { Double($0.learningRate!) }, .purple, "rate")],
                    on: canvas)
            }

            if epochs.contains(where: { $0.skippedBatches == nil }) {
                notRecorded(
                    in: layout.skippedBatches, title: "Skipped batches (non-finite loss or gradient)", on: canvas)
            } else {
                skippedBars(in: layout.skippedBatches, xRange: xRange, on: canvas)
            }
            return canvas
        }

        /// A panel of lines with markers: y from 0 (or the lowest value, if negative) to a little above the
        /// highest; points that are not finite are left out and break their line. Returns the panel's chart.
        @discardableResult
        private func lineChart(
            in area: Rect, title: String, yTitle: String, xRange: ClosedRange<Double>,
            series: [(x: [Double], y: [Double], color: Color, name: String)], on canvas: Canvas
        ) -> Chart {
            let values = series.flatMap(\.y).filter(\.isFinite)
            let top = max(values.max() ?? 1, 1e-12) * 1.1
            let bottom = min(values.min() ?? 0, 0)
            let chart = Chart(area: area, xRange: xRange, yRange: bottom...top)
            chart.drawTitle(title, on: canvas)
            chart.drawYAxis(on: canvas, title: yTitle, grid: true)
            chart.drawXAxis(on: canvas, title: "epoch", ticks: epochTicks(xRange), grid: true)
            canvas.clipped(to: area) {
                for line in series {
                    var run: [Point] = []
                    for (x, y) in zip(line.x, line.y) {
                        guard y.isFinite else {
                            canvas.polyline(run, color: line.color, lineWidth: 2)
                            run = []
                            continue
                        }
                        run.append(chart.point(x, y))
                    }
                    canvas.polyline(run, color: line.color, lineWidth: 2)
                    for (x, y) in zip(line.x, line.y) where y.isFinite && line.x.count <= 60 {
                        canvas.fillCircle(center: chart.point(x, y), radius: 3, color: line.color)
                    }
                }
            }
            if series.count > 1 {
                // The legend, on the title's line after the title.
                var x = area.x + canvas.textWidth(title, font: Font(size: 13, bold: true)) + 24
                for line in series {
                    canvas.line(
                        from: Point(x: x, y: area.y - 12), to: Point(x: x + 20, y: area.y - 12), color: line.color,
                        lineWidth: 2)
                    canvas.text(
                        line.name, at: Point(x: x + 24, y: area.y - 12), font: Font(size: 11), vertical: .middle)
                    x += 24 + canvas.textWidth(line.name, font: Font(size: 11)) + 16
                }
            }
            chart.drawFrame(on: canvas)
            return chart
        }

        /// "42 s", "3.5 min", "2.1 h".
        private func duration(_ seconds: Double) -> String {
            if seconds < 90 { return String(format: seconds < 10 ? "%.1f s" : "%.0f s", seconds) }
            if seconds < 5400 { return String(format: "%.1f min", seconds / 60) }
            return String(format: "%.1f h", seconds / 3600)
        }

        /// Whole epochs only, about eight of them.
        private func epochTicks(_ range: ClosedRange<Double>) -> AxisTicks {
            AxisTicks(lower: range.lowerBound.rounded(.up), upper: range.upperBound.rounded(.down), count: 8)
                .wholeNumbers
        }

        /// One bar per epoch: batches skipped in it.
        private func skippedBars(in area: Rect, xRange: ClosedRange<Double>, on canvas: Canvas) {
            let counts = epochs.map { Double($0.skippedBatches!) }
            let top = max(counts.max()!, 1) * 1.2
            let chart = Chart(area: area, xRange: xRange, yRange: 0...top)
            chart.drawTitle("Skipped batches (non-finite loss or gradient)", on: canvas)
            chart.drawYAxis(
                on: canvas, title: "batches", ticks: AxisTicks(lower: 0, upper: top, count: 4).wholeNumbers, grid: true)
            chart.drawXAxis(on: canvas, title: "epoch", ticks: epochTicks(xRange), grid: false)
            let barWidth = max(1, min(24, area.width / Double(epochs.count) * 0.7))
            for (epoch, count) in zip(epochs, counts) where count > 0 {
                let x = chart.px(Double(epoch.epoch + 1))
                canvas.fill(
                    Rect(x: x - barWidth / 2, y: chart.py(count), width: barWidth, height: area.maxY - chart.py(count)),
                    color: .red)
            }
            if counts.allSatisfy({ $0 == 0 }) {
                canvas.text(
                    "none", at: Point(x: area.midX, y: area.midY), font: Font(size: 12), color: .grey,
                    horizontal: .center, vertical: .middle)
            }
            chart.drawFrame(on: canvas)
        }

        /// An empty panel saying its history (from before it was kept) does not record this.
        private func notRecorded(in area: Rect, title: String, on canvas: Canvas) {
            let chart = Chart(area: area, xRange: 0...1, yRange: 0...1)
            chart.drawTitle(title, on: canvas)
            chart.drawFrame(on: canvas)
            canvas.text(
                "not recorded in this history (written before Earshot kept it)", at: Point(x: area.midX, y: area.midY),
                font: Font(size: 12), color: .grey, horizontal: .center, vertical: .middle)
        }
    }

    extension AxisTicks {
        /// The ticks that are whole numbers (counts, epochs), with a step of at least 1.
        var wholeNumbers: AxisTicks {
            step >= 1 ? self : AxisTicks(values: values.filter { $0 == $0.rounded() }, step: 1)
        }
    }
#endif
