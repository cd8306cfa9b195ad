#if Server
    import Earshot
    import Foundation
    import Hummingbird

    /// A transcript as `POST /v1/audio/transcriptions` answers it, in the requested `response_format`:
    /// - `json`: `{"text", "usage": {"type": "duration", "seconds"}}`;
    /// - `text`: the text and a line break (text/plain);
    /// - `srt`, `vtt`: subtitles (`Transcript.subRip()`, `webVTT()`);
    /// - `verbose_json`: `{"task": "transcribe", "language": "english", "duration", "text", "segments", "words",
    ///   "usage"}`, segments `{"id", "start", "end", "text", "avg_logprob", "temperature"}` with `segment`
    ///   granularity (the default) and words `{"word", "start", "end", "probability"}` with `word` granularity.
    ///   `avg_logprob` is the natural log of the segment's confidence (the mean log-posterior of its letters);
    ///   Whisper's token fields (`tokens`, `seek`, `compression_ratio`, `no_speech_prob`) have no counterpart in a
    ///   CTC model and are left out. Times are seconds, to the millisecond.
    enum TranscriptionResponse {
        static func response(_ transcript: Transcript, request: TranscriptionRequest) -> Response {
            switch request.responseFormat {
            case .json:
                return json(Brief(text: transcript.text, usage: Usage(seconds: transcript.duration)))
            case .text:
                return plain(transcript.text + "\n", contentType: "text/plain; charset=utf-8")
            case .srt:
                return plain(transcript.subRip(), contentType: "text/plain; charset=utf-8")
            case .vtt:
                return plain(transcript.webVTT(), contentType: "text/vtt; charset=utf-8")
            case .verboseJSON:
                return json(Verbose(transcript, segments: request.segmentTimestamps, words: request.wordTimestamps))
            }
        }

        private static func plain(_ text: String, contentType: String) -> Response {
            Response(
                status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
        }

        private static func json(_ value: some Encodable) -> Response {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(value)) ?? Data()
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: data)))
        }

        /// Seconds rounded to the millisecond.
        private static func milliseconds(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

        /// OpenAI's usage of a transcription billed by duration: whole seconds of audio, rounded up.
        struct Usage: Encodable {
            var type = "duration"
            var seconds: Int
            init(seconds: Double) { self.seconds = Int(seconds.rounded(.up)) }
        }

        struct Brief: Encodable {
            var text: String
            var usage: Usage
        }

        struct Verbose: Encodable {
            struct Segment: Encodable {
                var id: Int
                var start: Double
                var end: Double
                var text: String
                var averageLogProbability: Double
                var temperature = 0.0

                private enum CodingKeys: String, CodingKey {
                    case id, start, end, text, temperature
                    case averageLogProbability = "avg_logprob"
                }
            }
            struct Word: Encodable {
                var word: String
                var start: Double
                var end: Double
                var probability: Double
            }
            var task = "transcribe"
            var language = "english"
            var duration: Double
            var text: String
            var segments: [Segment]?
            var words: [Word]?
            var usage: Usage

            init(_ transcript: Transcript, segments withSegments: Bool, words withWords: Bool) {
                duration = milliseconds(transcript.duration)
                text = transcript.text
                usage = Usage(seconds: transcript.duration)
                if withSegments {
                    segments = transcript.segments.filter { !$0.text.isEmpty }.enumerated().map { id, segment in
                        Segment(
                            id: id, start: milliseconds(segment.start), end: milliseconds(segment.end),
                            text: segment.text,
                            averageLogProbability: (log(max(segment.confidence, 1e-30)) * 1e4).rounded() / 1e4)
                    }
                }
                if withWords {
                    words = transcript.words.map {
                        Word(
                            word: $0.text, start: milliseconds($0.start), end: milliseconds($0.end),
                            probability: ($0.confidence * 1000).rounded() / 1000)
                    }
                }
            }
        }
    }
#endif
