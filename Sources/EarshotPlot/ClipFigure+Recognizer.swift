#if Plot
    import Earshot
    import Foundation

    extension ClipFigure {
        /// The figure of the audio file at `path` as `recognizer` hears it with `options`:
        /// 1. reads the file, mono, resampled to the model's rate (`AudioFile.read`);
        /// 2. computes the model's log-mel filterbank of it (`Fbank`, the model's own options);
        /// 3. transcribes the samples, keeping each segment's posteriors;
        /// 4. notes the model, the decoding (files by name) and the transcript under the title.
        /// - Throws: `AudioError` naming the file (missing, not audio, …), `FeatureError` (too short for one
        ///   frame), `TranscriptionOptionsError`.
        public init(
            file path: String, recognizer: SpeechRecognizer, options: TranscriptionOptions = TranscriptionOptions(),
            width: Int
        ) throws {
            let audio = try AudioFile.read(path: path, sampleRate: recognizer.sampleRate)
            let features = recognizer.model.config.features
            let filterbank = try Fbank(options: features).compute(audio.samples)
            var posteriors: [SegmentPosteriors] = []
            let transcript = try recognizer.transcribe(
                samples: audio.samples, sampleRate: audio.sampleRate, options: options
            ) { posteriors.append($0) }
            let model = recognizer.modelPath.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "a model in memory"
            let running =
                options.latencyControl.map {
                    "chunks of \($0.chunkSteps) steps + \($0.lookaheadSteps) look-ahead, as 'earshot stream' runs it"
                } ?? "whole segments"
            // Files by their names only: a picture is shown elsewhere than where it was made.
            var decoding = recognizer.decoding.summary
            if let languageModel = recognizer.decoding.languageModelPath {
                decoding = decoding.replacingOccurrences(
                    of: languageModel, with: URL(fileURLWithPath: languageModel).lastPathComponent)
            }
            self.init(
                name: URL(fileURLWithPath: path).lastPathComponent,
                notes: [
                    "model \(model), \(running); \(decoding)",
                    "“\(transcript.text)”",
                ],
                samples: audio.samples, sampleRate: audio.sampleRate, filterbank: filterbank, features: features,
                posteriors: posteriors, alphabet: recognizer.model.config.alphabet, transcript: transcript,
                width: width)
        }
    }
#endif
