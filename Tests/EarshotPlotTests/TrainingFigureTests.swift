#if Plot
    import EarshotDrawing
    import EarshotPlot
    import EarshotTraining
    import Testing

    /// The training figure: each of its four panels draws its series where its layout says.
    @Suite struct TrainingFigureTests {
        /// Eight epochs of a run that improves, with a skipped batch in epoch 3.
        static let epochs = (0..<8).map { epoch in
            EpochSummary(
                epoch: epoch, trainingLoss: 60 / Double(epoch + 1), validationCER: 0.6 - 0.05 * Double(epoch),
                validationWER: 0.9 - 0.06 * Double(epoch), seconds: 30, learningRate: Float(epoch + 1) * 1e-4,
                skippedBatches: epoch == 2 ? 1 : 0)
        }

        @Test func everyPanelShowsItsSeries() throws {
            let figure = TrainingFigure(name: "run", epochs: Self.epochs, width: 1000)
            let canvas = try figure.draw()
            let layout = figure.layout
            #expect(canvas.width == 1000 && canvas.height == layout.height)
            #expect(canvas.colors(in: layout.loss).contains(Color.blue.packed))
            let rates = canvas.colors(in: layout.errorRates)
            #expect(rates.contains(Color.blue.packed) && rates.contains(Color.orange.packed))
            #expect(rates.contains(Color.green.packed))  // the best epoch's mark
            #expect(canvas.colors(in: layout.learningRate).contains(Color.purple.packed))
            // One red bar, at epoch 3.
            let bars = layout.skippedBatches
            let redColumns = (Int(bars.x)..<Int(bars.maxX)).filter { x in
                canvas.pixel(x: x, y: Int(bars.maxY) - 3) == .red
            }
            #expect(!redColumns.isEmpty)
            let third = bars.x + (3 - 0.5) / 8 * bars.width
            #expect(redColumns.allSatisfy { abs(Double($0) - third) < 20 })
        }

        /// A history from before learning rates and skipped batches were kept says so in those panels.
        @Test func olderHistoriesLeaveTheirUnrecordedPanelsEmpty() throws {
            let old = Self.epochs.map {
                EpochSummary(
                    epoch: $0.epoch, trainingLoss: $0.trainingLoss, validationCER: $0.validationCER,
                    validationWER: $0.validationWER, seconds: $0.seconds)
            }
            let figure = TrainingFigure(name: "old run", epochs: old, width: 800)
            let canvas = try figure.draw()
            #expect(!canvas.colors(in: figure.layout.learningRate).contains(Color.purple.packed))
            #expect(canvas.inkedPixels(in: figure.layout.learningRate) > 100)  // the "not recorded" note
            #expect(canvas.colors(in: figure.layout.loss).contains(Color.blue.packed))
        }
    }
#endif
