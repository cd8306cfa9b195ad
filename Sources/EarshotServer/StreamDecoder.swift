#if Server
    import Earshot
    import EarshotAudio
    import NIOCore

    /// The decoding state of one WebSocket stream, used on the decoding workers one job at a time (the session
    /// awaits each job before the next: hence `@unchecked Sendable`). Turns Vosk's messages into the
    /// recognizer's calls and its events into Vosk's answers (`VoskProtocol`).
    final class StreamDecoder: @unchecked Sendable {
        private let base: SpeechRecognizer
        private let options: StreamingOptions
        /// The client's sample rate, Hz.
        private(set) var sampleRate: Int
        /// Whether results carry word times (`words` of the config).
        private var words = true
        private var hotwords: [Hotwords.Entry] = []
        private var recognizer: StreamRecognizer?
        private var resampler: Resampler
        /// The audio messages' bytes as samples (an odd byte carried to the next message).
        private var pcm = PCMMessageDecoder()
        /// The current utterance's partial text ("" after a result), repeated for chunks that change nothing.
        private var partialText = ""
        /// Seconds of earlier recognizers (each `reset` starts a new one), added to word times.
        private var offsetSeconds = 0.0
        /// Seconds of audio received.
        private(set) var audioSeconds = 0.0

        init(recognizer: SpeechRecognizer, options: StreamingOptions, sampleRate: Int) {
            base = recognizer
            self.options = options
            self.sampleRate = sampleRate
            resampler = Resampler(from: sampleRate, to: recognizer.sampleRate)
        }

        /// Whether audio has arrived (after which the config may not change).
        var started: Bool { recognizer != nil }

        /// Applies a `config` message (before any audio).
        /// - Throws: `Hotwords.Error` or `DecodingOptionsError` for a phrase list that cannot be hotwords.
        func configure(_ config: VoskProtocol.StreamConfig) throws {
            if let rate = config.sampleRate {
                sampleRate = rate
                resampler = Resampler(from: rate, to: base.sampleRate)
            }
            if let words = config.words { self.words = words }
            if let hotwords = config.hotwords(alphabet: base.model.config.alphabet) {
                self.hotwords = hotwords
                // Compiled now, so that a phrase list that cannot work is refused at once.
                _ = try base.replacingHotwords(hotwords)
            }
        }

        /// Decodes a binary message (16-bit little-endian PCM) and returns the answer: a result if an utterance
        /// ended in it, else the partial.
        func accept(_ message: ByteBuffer) throws -> String {
            let samples = pcm.samples(message)
            audioSeconds += Double(samples.count) / Double(sampleRate)
            let events = try stream().accept(samples: resampler.process(samples))
            return answer(events, final: false)
        }

        /// Ends the utterance (`eof`, `reset`, or the server closing the stream) and returns its result; after a
        /// `reset` the next audio starts a new utterance, its times continuing.
        func finish() throws -> String {
            guard let recognizer else { return VoskProtocol.result([], words: words) }
            let events = try recognizer.accept(samples: resampler.flush()) + recognizer.finish()
            let result = answer(events, final: true)
            offsetSeconds += Double(recognizer.sampleCount) / Double(recognizer.sampleRate)
            self.recognizer = nil
            resampler = Resampler(from: sampleRate, to: base.sampleRate)
            return result
        }

        private func stream() throws -> StreamRecognizer {
            if let recognizer { return recognizer }
            let made = try (hotwords.isEmpty ? base : base.replacingHotwords(hotwords)).stream(options: options)
            recognizer = made
            return made
        }

        /// One answer for a message's events: the finals joined as one result (always one when `final`), else
        /// the latest partial text.
        private func answer(_ events: [StreamEvent], final: Bool) -> String {
            var finals: [TranscriptSegment] = []
            for event in events {
                switch event {
                case .final(let segment):
                    finals.append(shifted(segment))
                    partialText = ""
                case .partial(let segment):
                    partialText = segment.text
                }
            }
            if final { partialText = "" }
            guard final || !finals.isEmpty else { return VoskProtocol.partial(partialText) }
            return VoskProtocol.result(finals, words: words)
        }

        private func shifted(_ segment: TranscriptSegment) -> TranscriptSegment {
            guard offsetSeconds > 0 else { return segment }
            var segment = segment
            segment.start += offsetSeconds
            segment.end += offsetSeconds
            for i in segment.words.indices {
                segment.words[i].start += offsetSeconds
                segment.words[i].end += offsetSeconds
            }
            return segment
        }
    }
#endif
