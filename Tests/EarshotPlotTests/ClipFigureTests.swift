#if Plot
    import Earshot
    import EarshotDrawing
    import EarshotPlot
    import Foundation
    import Testing

    /// The clip figure of a real clip and model (the CLI tests' tiny model, which transcribes the training
    /// fixtures exactly): every panel is drawn where its layout says, with what it shows.
    @Suite struct ClipFigureTests {
        static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        static let model = repository.appendingPathComponent("Tests/EarshotCLITests/Fixtures/tiny-model.safetensors")
            .path
        static let clip = repository.appendingPathComponent(
            "Tests/EarshotTrainingTests/Fixtures/clips/open_the_door.wav"
        ).path

        @Test func everyPanelShowsItsData() throws {
            var decoding = DecodingOptions()
            decoding.greedy = true
            let recognizer = try SpeechRecognizer.load(model: Self.model, decoding: decoding)
            let figure = try ClipFigure(file: Self.clip, recognizer: recognizer, width: 900)
            #expect(figure.transcript.text == "open the door")
            #expect(figure.notes.contains("“open the door”"))
            #expect(figure.filterbank.dimension == recognizer.model.config.features.dimension)
            #expect(figure.posteriors.count == 1)

            let canvas = try figure.draw()
            let layout = figure.layout
            #expect(canvas.width == 900 && canvas.height == layout.height)
            for (name, panel) in [
                ("waveform", layout.waveform), ("spectrogram", layout.spectrogram), ("blank", layout.blank),
                ("characters", layout.characters), ("words", layout.words),
            ] {
                #expect(
                    panel.x >= 0 && panel.maxX <= 900 && panel.y >= 0 && panel.maxY <= Double(layout.height), "\(name)")
            }
            // The waveform: a blue envelope over a good share of the columns.
            let blue = Color.blue.packed
            var blueColumns = 0
            for x in Int(layout.waveform.x + 2)..<Int(layout.waveform.maxX - 2) {
                let column = (Int(layout.waveform.y)..<Int(layout.waveform.maxY)).map {
                    canvas.pixel(x: x, y: $0).packed
                }
                if column.contains(blue) { blueColumns += 1 }
            }
            #expect(Double(blueColumns) > 0.5 * layout.waveform.width, "\(blueColumns) columns of waveform")
            // The spectrogram: a smooth field of many colours of the magma map.
            #expect(canvas.colors(in: layout.spectrogram).count > 200)
            // The posteriorgram: confident characters (near the top of viridis) among improbable ones.
            let characterColors = canvas.colors(in: layout.characters)
            #expect(characterColors.contains(ColorMap.viridis.stops[0].packed))
            #expect(characterColors.contains { Color(hex: $0).green > 0.8 })
            #expect(canvas.colors(in: layout.blank, inset: 1).count > 3)
            // The words: three labels' worth of text.
            #expect(canvas.inkedPixels(in: layout.words) > 300)
        }

        /// A silent clip (a constant spectrogram, a range of one value) still draws every panel and encodes;
        /// with no words, the words panel says so.
        @Test func aSilentClipDrawsEveryPanel() throws {
            let recognizer = try SpeechRecognizer.load(model: Self.model, decoding: DecodingOptions())
            let samples = [Float](repeating: 0, count: 16000)
            var posteriors: [SegmentPosteriors] = []
            let transcript = try recognizer.transcribe(samples: samples, sampleRate: 16000) { posteriors.append($0) }
            var figure = ClipFigure(
                name: "silence", notes: [], samples: samples, sampleRate: 16000,
                filterbank: try Fbank(options: recognizer.model.config.features).compute(samples),
                features: recognizer.model.config.features, posteriors: posteriors,
                alphabet: recognizer.model.config.alphabet, transcript: transcript, width: 600)
            let canvas = try figure.draw()
            #expect(try !canvas.pngData().isEmpty)
            #expect(canvas.colors(in: figure.layout.characters).contains(ColorMap.viridis.stops[0].packed))
            #expect(canvas.inkedPixels(in: figure.layout.words, inset: 0) > 0)

            figure.transcript = Transcript(segments: [], duration: 1)
            #expect(try figure.draw().inkedPixels(in: figure.layout.words) > 50)  // "(no words decoded)"
        }
    }
#endif
