#if Server
    import Earshot
    import EarshotAudio
    import Foundation
    import Hummingbird
    import Logging
    import NIOCore

    /// `POST /v1/audio/transcriptions`: the steps of one upload, each failure an `APIError` naming its cause.
    /// 1. refuse while draining (503), a body announced larger than the limit (413, before reading it) and a
    ///    content type other than multipart/form-data (415);
    /// 2. read the body up to the limit (413 past it) and parse the form (`MultipartForm`, `TranscriptionRequest`:
    ///    400 for a truncated body or a bad field);
    /// 3. on a decoding worker (429 when the queue is full): write the audio to a temporary file, transcribe it
    ///    (400 naming the cause when it is not audio libsndfile can read), remove the file;
    /// 4. answer in the requested format (`TranscriptionResponse`).
    struct TranscriptionEndpoint: Sendable {
        let service: SpeechService

        func respond(_ request: Request, context: some RequestContext) async throws -> Response {
            let started = ContinuousClock.now
            var logger = service.logger
            logger[metadataKey: "request"] = "\(service.nextID())"
            do {
                let response = try await transcribe(request, logger: logger)
                let seconds = (ContinuousClock.now - started).seconds
                service.metrics.request(endpoint: "transcriptions", status: "200")
                service.metrics.requestDuration(endpoint: "transcriptions", seconds: seconds)
                return response
            } catch {
                let apiError = APIError.from(error)
                service.metrics.request(endpoint: "transcriptions", status: "\(apiError.status.code)")
                service.metrics.error(endpoint: "transcriptions", kind: Self.kind(apiError))
                logger.info(
                    "transcription refused",
                    metadata: ["status": "\(apiError.status.code)", "cause": "\(apiError.message)"])
                throw apiError
            }
        }

        private func transcribe(_ request: Request, logger: Logger) async throws -> Response {
            if service.isDraining { throw APIError.shuttingDown }
            let limit = service.configuration.maxUploadBytes
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
                throw APIError(
                    status: .contentTooLarge,
                    message: "the upload has \(length) bytes; this server takes at most \(limit)",
                    type: "invalid_request_error", param: "file", code: nil)
            }
            let contentType = request.headers[.contentType]
            guard let contentType, MultipartForm.boundary(contentType: contentType) != nil else {
                throw APIError(
                    status: .unsupportedMediaType,
                    message:
                        "the request must be multipart/form-data with a boundary, not \(contentType ?? "no content type")",
                    type: "invalid_request_error", param: nil, code: nil)
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw APIError(
                    status: .contentTooLarge,
                    message: "the upload is larger than this server's limit of \(limit) bytes",
                    type: "invalid_request_error", param: "file", code: nil)
            }
            let form = try MultipartForm(contentType: contentType, body: body)
            let transcription = try TranscriptionRequest(form: form, alphabet: service.recognizer.model.config.alphabet)
            let recognizer =
                transcription.hotwords.isEmpty
                ? service.recognizer : try service.recognizer.replacingHotwords(transcription.hotwords)
            let audio = transcription.audio
            let filename = transcription.filename
            let (transcript, decodingSeconds) = try await service.pool.run(.upload) {
                try Self.transcribe(audio, filename: filename, recognizer: recognizer)
            }
            service.metrics.decoded(
                endpoint: "transcriptions", audioSeconds: transcript.duration, decodingSeconds: decodingSeconds)
            logger.info(
                "transcribed",
                metadata: [
                    "file": "\(filename)", "bytes": "\(audio.readableBytes)",
                    "audio_seconds": "\(transcript.duration)", "decoding_seconds": "\(decodingSeconds)",
                    "format": "\(transcription.responseFormat.rawValue)", "hotwords": "\(transcription.hotwords.count)",
                ])
            return TranscriptionResponse.response(transcript, request: transcription)
        }

        /// On a worker: the audio through a temporary file (libsndfile reads files; WAV needs seeking), its
        /// transcript and the seconds it took. The file is removed whatever happens.
        private static func transcribe(_ audio: ByteBuffer, filename: String, recognizer: SpeechRecognizer) throws
            -> (Transcript, Double)
        {
            // The upload's extension helps libsndfile with formats it cannot tell by their first bytes.
            let suffix = (filename as NSString).pathExtension.filter { $0.isLetter || $0.isNumber }.prefix(8)
            let path =
                FileManager.default.temporaryDirectory.appendingPathComponent(
                    "earshot-upload-\(UUID().uuidString)" + (suffix.isEmpty ? "" : ".\(suffix)")
                ).path
            guard FileManager.default.createFile(atPath: path, contents: Data(audio.readableBytesView)) else {
                throw APIError(
                    status: .internalServerError, message: "cannot write the upload to \(path)", type: "server_error",
                    param: nil, code: nil)
            }
            defer { try? FileManager.default.removeItem(atPath: path) }
            let started = ContinuousClock.now
            var options = TranscriptionOptions()
            options.schedule = .sequential  // one transcription per worker, the workers side by side
            do {
                let transcript = try recognizer.transcribe(file: path, options: options)
                return (transcript, (ContinuousClock.now - started).seconds)
            } catch let error as AudioError {
                throw APIError.invalid("file '\(filename)': \(error.cause)", param: "file", code: "invalid_audio")
            }
        }

        /// The `kind` label of `earshot_errors_total` for an error answer.
        private static func kind(_ error: APIError) -> String {
            switch error.status {
            case .contentTooLarge: return "too_large"
            case .tooManyRequests: return "busy"
            case .serviceUnavailable: return "shutdown"
            case .unsupportedMediaType: return "content_type"
            case .badRequest: return error.code == "invalid_audio" ? "bad_audio" : "bad_request"
            default: return "internal"
            }
        }
    }

    extension Duration {
        /// The duration in seconds.
        var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
    }
#endif
