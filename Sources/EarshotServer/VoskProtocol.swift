#if Server
    import Earshot
    import Foundation

    /// The messages of vosk-server's WebSocket protocol (alphacep/vosk-server, `websocket/asr_server.py`), which
    /// Vosk's clients speak: text messages from the client are JSON, `{"config": {…}}` (before the audio),
    /// `{"eof": 1}` (end of the stream: the last result follows and the server closes) or `{"reset": 1}` (end the
    /// utterance now: its result follows); binary messages are 16-bit little-endian mono PCM. The server answers
    /// every audio message and every `eof`/`reset` with exactly one JSON text message: a partial
    /// `{"partial": "…"}` or, when an utterance ended, a result `{"text": "…", "result": [{"word", "start", "end",
    /// "conf"}]}` (`result` only with `words`, on by default, and when there are words).
    enum VoskProtocol {
        /// A text message from the client.
        enum ClientMessage: Equatable {
            case config(StreamConfig)
            case endOfStream
            case reset
        }

        /// The `config` object's fields this server reads; vosk-server's others (`model`, …) are ignored, as it
        /// ignores unknown ones.
        struct StreamConfig: Equatable {
            /// `sample_rate`, Hz; nil: the server's default.
            var sampleRate: Int?
            /// `words`: whether results carry `result` (word times and confidences).
            var words: Bool?
            /// `phrase_list`: phrases to favour, which become hotwords (Vosk restricts its grammar to them; an
            /// open-vocabulary decoder boosts them instead).
            var phraseList: [String]?

            /// The hotwords of `phraseList` (nil when the config has none): each phrase normalised as transcripts
            /// are (`TextNormalizer` with `alphabet`), blank and repeated ones left out, with the default boost.
            func hotwords(alphabet: Alphabet) -> [Hotwords.Entry]? {
                guard let phraseList else { return nil }
                let normalizer = TextNormalizer(alphabet: alphabet)
                var seen = Set<String>()
                return phraseList.map { normalizer.normalize($0) }.filter { !$0.isEmpty && seen.insert($0).inserted }
                    .map { Hotwords.Entry(phrase: $0, boost: Hotwords.defaultBoost) }
            }
        }

        /// What is wrong with a client's text message; the stream is closed with code 1003 and this as reason.
        struct ProtocolError: Error, CustomStringConvertible {
            var description: String
        }

        /// Parses a text message.
        /// - Throws: `ProtocolError` naming the cause: not JSON, not one of the three messages, a config value
        ///   of the wrong type or out of range.
        static func parse(_ text: String) throws -> ClientMessage {
            guard let data = text.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else {
                throw ProtocolError(description: "text message is not a JSON object: \(text.prefix(40))")
            }
            if let config = object["config"] {
                guard let fields = config as? [String: Any] else {
                    throw ProtocolError(description: "config must be an object")
                }
                return .config(try streamConfig(fields))
            }
            if number(object["eof"]) == 1 { return .endOfStream }
            if number(object["reset"]) == 1 { return .reset }
            throw ProtocolError(
                description: "expected {\"config\": …}, {\"eof\": 1} or {\"reset\": 1}: \(text.prefix(40))")
        }

        private static func streamConfig(_ fields: [String: Any]) throws -> StreamConfig {
            var config = StreamConfig()
            if let value = fields["sample_rate"] {
                // `Int(exactly:)`: a rate beyond Int's range (1e300) is refused, not a trap.
                guard let rate = number(value).flatMap({ Int(exactly: $0) }),
                    AudioFile.supportedSampleRates.contains(rate)
                else {
                    throw ProtocolError(
                        description: "sample_rate must be a whole number of Hz in \(AudioFile.supportedSampleRates)")
                }
                config.sampleRate = rate
            }
            if let value = fields["words"] {
                guard let flag = (value as? Bool) ?? number(value).map({ $0 != 0 }) else {
                    throw ProtocolError(description: "words must be true or false")
                }
                config.words = flag
            }
            if let value = fields["phrase_list"] {
                guard let phrases = value as? [String] else {
                    throw ProtocolError(description: "phrase_list must be a list of strings")
                }
                config.phraseList = phrases
            }
            if let value = fields["max_alternatives"], number(value) != 0 {
                throw ProtocolError(description: "max_alternatives is not supported (only 0)")
            }
            return config
        }

        /// A JSON number as `JSONSerialization` gives it (Int, Double or NSNumber, by platform; `true` may read as
        /// 1); nil for anything else.
        private static func number(_ value: Any?) -> Double? {
            switch value {
            case let value as Int: return Double(value)
            case let value as Double: return value
            case let value as NSNumber: return value.doubleValue
            default: return nil
            }
        }

        /// `{"partial": text}`.
        static func partial(_ text: String) -> String { encode(["partial": text]) }

        /// A result: the words of `segments` (the finals of one answer, joined), with `result` when `words`.
        static func result(_ segments: [TranscriptSegment], words: Bool) -> String {
            let text = segments.map(\.text).filter { !$0.isEmpty }.joined(separator: " ")
            let list = segments.flatMap(\.words)
            guard words, !list.isEmpty else { return encode(["text": text]) }
            let result = list.map { word -> [String: Any] in
                [
                    "word": word.text, "start": rounded(word.start, 1e3), "end": rounded(word.end, 1e3),
                    "conf": rounded(word.confidence, 1e6),
                ]
            }
            return encode(["result": result, "text": text])
        }

        private static func rounded(_ value: Double, _ scale: Double) -> Double { (value * scale).rounded() / scale }

        private static func encode(_ object: [String: Any]) -> String {
            let data =
                (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            return String(decoding: data ?? Data(), as: UTF8.self)
        }
    }
#endif
