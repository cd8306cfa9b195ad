#if Server
    import Earshot
    import NIOCore

    /// The form of `POST /v1/audio/transcriptions` (OpenAI's `audio.transcriptions.create`), checked field by field.
    /// Each field the API defines is either used or refused with a 400 naming it; a field it does not define is
    /// refused as OpenAI refuses it ("Unrecognized request argument supplied: …").
    struct TranscriptionRequest {
        /// The output OpenAI's `response_format` asks for.
        enum ResponseFormat: String, CaseIterable {
            case json, text, srt, vtt
            case verboseJSON = "verbose_json"
        }

        /// The uploaded audio (any format libsndfile reads) and the name the client gave it.
        var audio: ByteBuffer
        var filename: String
        /// `model`: required by the API; any name is accepted (this server has one model, its own).
        var model: String
        var responseFormat = ResponseFormat.json
        /// `timestamp_granularities[]`: "segment" (the default) and/or "word"; only with `verbose_json`.
        var segmentTimestamps = true
        var wordTimestamps = false
        /// Hotwords made from `prompt` (`PromptHotwords`).
        var hotwords: [Hotwords.Entry] = []

        /// The fields of the API that this server takes.
        static let knownFields: Set<String> = [
            "file", "model", "language", "prompt", "response_format", "temperature", "timestamp_granularities[]",
            "timestamp_granularities", "stream", "include[]", "chunking_strategy",
        ]

        /// Reads and checks `form`; `alphabet` spells the hotwords.
        /// - Throws: `APIError` (400) naming the field and the cause.
        init(form: MultipartForm, alphabet: Alphabet) throws {
            if let unknown = form.parts.first(where: { !Self.knownFields.contains($0.name) }) {
                throw APIError.invalid("Unrecognized request argument supplied: \(unknown.name)", param: unknown.name)
            }
            guard let file = form["file"] else {
                throw APIError.invalid("the form has no 'file' field (the audio to transcribe)", param: "file")
            }
            audio = file.body
            filename = file.filename ?? "file"
            func text(_ name: String) throws -> String? {
                guard let part = form[name] else { return nil }
                guard let value = part.text else { throw APIError.invalid("'\(name)' is not UTF-8 text", param: name) }
                return value.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let model = try text("model"), !model.isEmpty else {
                throw APIError.invalid("the form has no 'model' field (any name will do)", param: "model")
            }
            self.model = model
            if let format = try text("response_format"), !format.isEmpty {
                guard let parsed = ResponseFormat(rawValue: format) else {
                    let known = ResponseFormat.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError.invalid(
                        "response_format '\(format)' is not supported; use one of \(known)", param: "response_format")
                }
                responseFormat = parsed
            }
            try readGranularities(form)
            if let language = try text("language"), !language.isEmpty,
                !["en", "eng", "english"].contains(language.lowercased())
            {
                throw APIError.invalid(
                    "language '\(language)' is not supported: this server's model transcribes English ('en')",
                    param: "language")
            }
            if let temperature = try text("temperature"), !temperature.isEmpty {
                // Decoding is deterministic (beam search): any valid temperature gives the same result.
                guard let value = Double(temperature), (0...1).contains(value) else {
                    throw APIError.invalid(
                        "temperature must be a number from 0 to 1, got '\(temperature)'", param: "temperature")
                }
            }
            if let stream = try text("stream"), !["", "false", "0"].contains(stream.lowercased()) {
                throw APIError.invalid(
                    "stream=true is not supported here: stream audio over the WebSocket at / (Vosk's protocol)",
                    param: "stream")
            }
            for name in ["include[]", "chunking_strategy"] where form[name] != nil {
                throw APIError.invalid("'\(name)' is not supported by this server", param: name)
            }
            if let prompt = try text("prompt"), !prompt.isEmpty {
                do {
                    hotwords = try PromptHotwords.entries(prompt: prompt, alphabet: alphabet)
                } catch {
                    throw APIError.invalid("prompt: \(error)", param: "prompt")
                }
            }
        }

        /// `timestamp_granularities[]` (repeatable): which timestamps `verbose_json` carries.
        private mutating func readGranularities(_ form: MultipartForm) throws {
            let values = form.parts.filter { $0.name.hasPrefix("timestamp_granularities") }.map {
                ($0.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard !values.isEmpty else { return }
            let param = "timestamp_granularities[]"
            guard responseFormat == .verboseJSON else {
                throw APIError.invalid(
                    "timestamp_granularities[] needs response_format 'verbose_json', not '\(responseFormat.rawValue)'",
                    param: param)
            }
            for value in values where value != "word" && value != "segment" {
                throw APIError.invalid(
                    "timestamp_granularities[] takes 'word' and 'segment', got '\(value)'", param: param)
            }
            wordTimestamps = values.contains("word")
            segmentTimestamps = values.contains("segment")
        }
    }
#endif
