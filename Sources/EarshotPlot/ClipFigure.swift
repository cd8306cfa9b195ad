#if Plot
    import Earshot
    import EarshotDrawing
    import Foundation

    /// One picture of what the model heard in a clip, on a shared time axis: the waveform, the log-mel
    /// spectrogram the model's input is made from, the posteriorgram (the probability of each character at
    /// each model step, the CTC blank in its own strip above), and the decoded words at their times with
    /// their confidences.
    public struct ClipFigure {
        /// The clip's name, in the title.
        public var name: String
        /// Lines under the title: how it was decoded, the transcript.
        public var notes: [String]
        /// The clip, mono at `sampleRate` Hz.
        public var samples: [Float]
        public var sampleRate: Int
        /// The log-mel filterbank `(T, F)` (log energy first when `features.useEnergy`).
        public var filterbank: FeatureMatrix
        /// The front end that made `filterbank`: frame shift, mel range.
        public var features: FbankOptions
        /// The model's output per decoded segment.
        public var posteriors: [SegmentPosteriors]
        /// Characters of the posteriorgram's rows (output i + 1 is `alphabet.characters[i]`; 0 the blank).
        public var alphabet: Alphabet
        public var transcript: Transcript
        /// The picture's width in pixels; the height is fixed (`Layout.height`).
        public var width: Int

        /// The smallest and largest width accepted.
        public static let widths = 600...8000

        public init(
            name: String, notes: [String], samples: [Float], sampleRate: Int, filterbank: FeatureMatrix,
            features: FbankOptions, posteriors: [SegmentPosteriors], alphabet: Alphabet, transcript: Transcript,
            width: Int
        ) {
            precondition(Self.widths.contains(width), "width \(width) outside \(Self.widths)")
            self.name = name
            self.notes = notes
            self.samples = samples
            self.sampleRate = sampleRate
            self.filterbank = filterbank
            self.features = features
            self.posteriors = posteriors
            self.alphabet = alphabet
            self.transcript = transcript
            self.width = width
        }

        /// Seconds of audio.
        public var duration: Double { Double(samples.count) / Double(sampleRate) }

        /// Where each panel's plot area lies, in pixels.
        public struct Layout: Sendable {
            public var waveform: Rect
            public var spectrogram: Rect
            /// The blank's strip of the posteriorgram.
            public var blank: Rect
            /// The characters' rows of the posteriorgram.
            public var characters: Rect
            public var words: Rect
            public var height: Int

            static let left = 92.0, right = 104.0, rowHeight = 10.0
            /// Lines of word labels, so that short words close together do not overlap.
            static let wordLines = 3

            init(width: Int, characterCount: Int) {
                let plotWidth = Double(width) - Self.left - Self.right
                func area(_ top: Double, _ height: Double) -> Rect {
                    Rect(x: Self.left, y: top, width: plotWidth, height: height)
                }
                waveform = area(112, 96)
                spectrogram = area(waveform.maxY + 44, 150)
                blank = area(spectrogram.maxY + 44, 14)
                characters = area(blank.maxY + 8, Double(characterCount) * Self.rowHeight)
                words = area(characters.maxY + 36, 18 + Double(Self.wordLines) * 15)
                height = Int(words.maxY + 56)
            }
        }

        public var layout: Layout { Layout(width: width, characterCount: alphabet.characters.count) }

        /// Draws the picture.
        /// - Throws: `DrawingError.canvas` when the canvas cannot be made.
        public func draw() throws(DrawingError) -> Canvas {
            let layout = self.layout
            let canvas = try Canvas(width: width, height: layout.height)
            let time = 0...max(duration, 0.01)
            drawHeader(on: canvas)
            drawWaveform(Chart(area: layout.waveform, xRange: time, yRange: -1...1), on: canvas)
            try drawSpectrogram(Chart(area: layout.spectrogram, xRange: time, yRange: 0...1), on: canvas)
            try drawPosteriorgram(blank: layout.blank, characters: layout.characters, time: time, on: canvas)
            drawWords(Chart(area: layout.words, xRange: time, yRange: 0...1), on: canvas)
            return canvas
        }

        private func drawHeader(on canvas: Canvas) {
            canvas.text(
                name + String(format: " — %.2f s", duration), at: Point(x: Layout.left, y: 26),
                font: Font(size: 17, bold: true))
            for (i, note) in notes.prefix(3).enumerated() {
                canvas.text(
                    fitted(note, width: Double(width) - Layout.left - 20, font: Font(size: 12), on: canvas),
                    at: Point(x: Layout.left, y: 48 + Double(i) * 17), font: Font(size: 12), color: .grey)
            }
        }

        /// `text`, cut with an ellipsis to fit `width` pixels.
        private func fitted(_ text: String, width: Double, font: Font, on canvas: Canvas) -> String {
            guard canvas.textWidth(text, font: font) > width else { return text }
            var cut = text
            while !cut.isEmpty && canvas.textWidth(cut + "…", font: font) > width { cut.removeLast() }
            return cut + "…"
        }

        /// Time ticks (marks only; the words panel at the bottom carries the labels).
        private func timeTicks(_ chart: Chart, on canvas: Canvas) {
            chart.drawXAxis(on: canvas, title: nil, ticks: timeAxis(chart), grid: false) { _ in "" }
        }

        private func timeAxis(_ chart: Chart) -> AxisTicks {
            AxisTicks(lower: chart.xRange.lowerBound, upper: chart.xRange.upperBound, count: Int(chart.area.width / 90))
        }

        // MARK: - Waveform

        /// Per pixel column, a line from the lowest to the highest sample it covers.
        private func drawWaveform(_ frame: Chart, on canvas: Canvas) {
            let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
            let limit =
                peak > 0.5 || peak == 0
                ? 1.0
                : AxisTicks(lower: 0, upper: Double(peak), count: 2).step
                    * (Double(peak) / AxisTicks(lower: 0, upper: Double(peak), count: 2).step).rounded(.up)
            let chart = Chart(area: frame.area, xRange: frame.xRange, yRange: -limit...limit)
            chart.drawTitle("Waveform", on: canvas)
            chart.drawYAxis(on: canvas, title: "amplitude", ticks: AxisTicks(lower: -limit, upper: limit, count: 4))
            canvas.line(
                from: chart.point(chart.xRange.lowerBound, 0), to: chart.point(chart.xRange.upperBound, 0),
                color: .lightGrey)
            let columns = Int(chart.area.width)
            let perColumn = Double(samples.count) / Double(columns)
            canvas.clipped(to: chart.area) {
                for column in 0..<columns {
                    let first = Int(Double(column) * perColumn)
                    let last = min(samples.count, max(first + 1, Int(Double(column + 1) * perColumn)))
                    guard first < last else { continue }
                    var low = samples[first], high = samples[first]
                    for sample in samples[first..<last] {
                        low = min(low, sample)
                        high = max(high, sample)
                    }
                    let x = chart.area.x + Double(column) + 0.5
                    canvas.line(
                        from: Point(x: x, y: chart.py(Double(low)) + 0.5),
                        to: Point(x: x, y: chart.py(Double(high)) - 0.5), color: .blue)
                }
            }
            timeTicks(chart, on: canvas)
            chart.drawFrame(on: canvas)
        }

        // MARK: - Spectrogram

        /// The mel bins from low (bottom) to high frequency, log energy as colour between a robust low (the
        /// 2nd percentile) and the highest value; the frequency axis in Hz at the bins' centres.
        private func drawSpectrogram(_ chart: Chart, on canvas: Canvas) throws(DrawingError) {
            let energyColumn = features.useEnergy ? 1 : 0
            let bins = filterbank.dimension - energyColumn
            chart.drawTitle(
                "Log-mel spectrogram (\(bins) bins, \(formatted(features.frame.frameShiftMs)) ms frames)", on: canvas)
            var sorted = filterbank.values.enumerated().filter { $0.offset % filterbank.dimension >= energyColumn }
                .map(\.element).sorted()
            if sorted.isEmpty { sorted = [0] }
            let low = Double(sorted[Int(Double(sorted.count - 1) * 0.02)]), high = Double(sorted[sorted.count - 1])
            let scale = high > low ? high - low : 1
            let shift = features.frame.frameShiftMs / 1000
            let area = Rect(
                x: chart.area.x, y: chart.area.y,
                width: min(chart.area.width, chart.px(Double(filterbank.frameCount) * shift) - chart.area.x),
                height: chart.area.height)
            try canvas.heatMap(
                in: area, columns: filterbank.frameCount, rows: bins, map: .magma, scaling: .smooth
            ) { frame, row in
                (Double(filterbank.values[frame * filterbank.dimension + energyColumn + bins - 1 - row]) - low) / scale
            }
            // Frequency ticks in Hz where the mel scale puts them: bin b's centre is at mel(low) + (b + 1)·Δ.
            let sampleRate = features.frame.sampleRate
            let lowMel = MelBankOptions.mel(features.mel.lowFrequency)
            let highMel = MelBankOptions.mel(features.mel.resolvedHighFrequency(sampleRate: sampleRate))
            let melStep = (highMel - lowMel) / Double(bins + 1)
            let bin = { (hertz: Double) in (MelBankOptions.mel(hertz) - lowMel) / melStep - 1 }
            let rowHeight = chart.area.height / Double(bins)
            var widest = 0.0
            for hertz in [100.0, 250, 500, 1000, 2000, 4000, 8000, 16000]
            where bin(hertz) >= 0 && bin(hertz) <= Double(bins - 1) {
                let y = chart.area.maxY - (bin(hertz) + 0.5) * rowHeight
                canvas.line(from: Point(x: chart.area.x - 4, y: y), to: Point(x: chart.area.x, y: y), color: .grey)
                let label = hertz >= 1000 ? "\(Int(hertz / 1000))k" : "\(Int(hertz))"
                widest = max(widest, canvas.textWidth(label, font: Font(size: 11)))
                canvas.text(
                    label, at: Point(x: chart.area.x - 6, y: y), font: Font(size: 11), color: .grey,
                    horizontal: .trailing, vertical: .middle)
            }
            chart.drawYTitle("frequency (Hz)", on: canvas, offset: widest + 12)
            timeTicks(chart, on: canvas)
            chart.drawFrame(on: canvas)
            try colorBar(
                beside: chart.area, map: .magma, range: low...high, title: "log energy (ln)", on: canvas)
        }

        private func formatted(_ value: Double) -> String {
            value == value.rounded() ? "\(Int(value))" : "\(value)"
        }

        // MARK: - Posteriorgram

        /// Each segment's steps as columns: the blank's probability in its own strip, then one row per
        /// character in the alphabet's order; word boundaries as dashed lines.
        private func drawPosteriorgram(blank: Rect, characters: Rect, time: ClosedRange<Double>, on canvas: Canvas)
            throws(DrawingError)
        {
            let strip = Chart(area: blank, xRange: time, yRange: 0...1)
            let rows = Chart(area: characters, xRange: time, yRange: 0...1)
            let step = posteriors.first?.secondsPerStep ?? 0
            strip.drawTitle(
                "Posteriorgram: P(output | step), \(formatted(step * 1000)) ms steps — CTC blank apart, above",
                on: canvas)
            for segment in posteriors where segment.stepCount > 0 {
                let x0 = rows.px(segment.start), x1 = rows.px(min(segment.end, time.upperBound))
                try canvas.heatMap(
                    in: Rect(x: x0, y: blank.y, width: x1 - x0, height: blank.height), columns: segment.stepCount,
                    rows: 1, map: .viridis
                ) { step, _ in Double(exp(segment.logProbability(step: step, output: Alphabet.blank))) }
                try canvas.heatMap(
                    in: Rect(x: x0, y: characters.y, width: x1 - x0, height: characters.height),
                    columns: segment.stepCount, rows: alphabet.characters.count, map: .viridis
                ) { step, row in Double(exp(segment.logProbability(step: step, output: row + 1))) }
            }
            canvas.text(
                "blank", at: Point(x: blank.x - 6, y: blank.midY), font: Font(size: 10), color: .grey,
                horizontal: .trailing, vertical: .middle)
            for (row, character) in alphabet.characters.enumerated() {
                canvas.text(
                    character == " " ? "space" : String(character),
                    at: Point(x: characters.x - 6, y: characters.y + (Double(row) + 0.5) * Layout.rowHeight),
                    font: Font(size: 9.5), color: .ink, horizontal: .trailing, vertical: .middle)
            }
            rows.drawYTitle("character", on: canvas, offset: 48)
            for word in transcript.words {
                for t in [word.start, word.end] {
                    canvas.line(
                        from: Point(x: rows.px(t), y: characters.y), to: Point(x: rows.px(t), y: characters.maxY),
                        color: .white, lineWidth: 0.8, dash: [3, 3])
                }
            }
            timeTicks(rows, on: canvas)
            strip.drawFrame(on: canvas)
            rows.drawFrame(on: canvas)
            try colorBar(
                beside: Rect(x: blank.x, y: blank.y, width: blank.width, height: characters.maxY - blank.y),
                map: .viridis, range: 0...1, title: "probability", on: canvas)
        }

        // MARK: - Words

        /// Each word as a bar over its time span coloured by its confidence, and its text with the
        /// confidence after it, on the first of three lines where it does not overlap the previous label
        /// (else on the line that ends first, moved right just enough).
        private func drawWords(_ chart: Chart, on canvas: Canvas) {
            chart.drawTitle("Words (confidence: red 0 → green 1)", on: canvas)
            let wordFont = Font(size: 12, bold: true), confidenceFont = Font(size: 10)
            var lineEnds = [Double](repeating: -.infinity, count: Layout.wordLines)
            for word in transcript.words {
                let x0 = chart.px(word.start), x1 = max(chart.px(word.end), x0 + 2)
                let color = ColorMap.confidence.color(at: word.confidence)
                canvas.fill(Rect(x: x0, y: chart.area.y + 3, width: x1 - x0, height: 6), color: color)
                let confidence = String(format: " %.2f", word.confidence)
                let textWidth = canvas.textWidth(word.text, font: wordFont)
                let labelWidth = textWidth + canvas.textWidth(confidence, font: confidenceFont)
                let wanted = max(chart.area.x + 2, min((x0 + x1 - labelWidth) / 2, chart.area.maxX - labelWidth - 2))
                let line =
                    lineEnds.firstIndex { wanted >= $0 + 6 } ?? lineEnds.indices.min { lineEnds[$0] < lineEnds[$1] }!
                let left = max(wanted, lineEnds[line] + 6)
                lineEnds[line] = left + labelWidth
                let y = chart.area.y + 23 + Double(line) * 15
                canvas.text(word.text, at: Point(x: left, y: y), font: wordFont, color: .ink)
                canvas.text(
                    confidence, at: Point(x: left + textWidth, y: y), font: confidenceFont,
                    color: color.mixed(with: .black, 0.25))
            }
            if transcript.words.isEmpty {
                canvas.text(
                    "(no words decoded)", at: Point(x: chart.area.midX, y: chart.area.midY), font: Font(size: 12),
                    color: .grey, horizontal: .center, vertical: .middle)
            }
            chart.drawXAxis(on: canvas, title: "time (s)", ticks: timeAxis(chart))
            chart.drawFrame(on: canvas)
        }

        // MARK: - Colour bars

        /// A vertical bar of `map` right of `area`, `range` labelled at its ends and middle, `title` upright
        /// beside it.
        private func colorBar(
            beside area: Rect, map: ColorMap, range: ClosedRange<Double>, title: String, on canvas: Canvas
        ) throws(DrawingError) {
            // A range of one value (a silent clip's spectrogram) is shown as that value and one more.
            let range = range.upperBound > range.lowerBound ? range : range.lowerBound...(range.lowerBound + 1)
            let bar = Rect(x: area.maxX + 14, y: area.y, width: 12, height: area.height)
            try canvas.heatMap(in: bar, columns: 1, rows: 64, map: map, scaling: .smooth) { _, row in
                1 - Double(row) / 63
            }
            canvas.stroke(bar, color: .grey)
            let ticks = AxisTicks(lower: range.lowerBound, upper: range.upperBound, count: 4)
            var widest = 0.0
            for value in ticks.values {
                let y = bar.maxY - (value - range.lowerBound) / (range.upperBound - range.lowerBound) * bar.height
                canvas.line(from: Point(x: bar.maxX, y: y), to: Point(x: bar.maxX + 3, y: y), color: .grey)
                let label = ticks.label(value)
                widest = max(widest, canvas.textWidth(label, font: Font(size: 10)))
                canvas.text(
                    label, at: Point(x: bar.maxX + 5, y: y), font: Font(size: 10), color: .grey, vertical: .middle)
            }
            canvas.text(
                title, at: Point(x: bar.maxX + widest + 10, y: bar.midY), font: Font(size: 11), horizontal: .center,
                vertical: .top, upright: true)
        }
    }
#endif
