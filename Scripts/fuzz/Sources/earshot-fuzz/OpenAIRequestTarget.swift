import EarshotDecoding
import Foundation
import NIOCore

@testable import EarshotServer

/// `POST /v1/audio/transcriptions` as `TranscriptionEndpoint` reads it before decoding the audio: the content
/// type's check (415 without a multipart/form-data boundary), `MultipartForm(contentType:body:)`, then
/// `TranscriptionRequest(form:alphabet:)` with the English alphabet (the shipped model's) and the hotwords its
/// `prompt` makes, compiled as `SpeechRecognizer.replacingHotwords` compiles them. Input layout: the
/// Content-Type header's value up to the first line break (an empty line: no header), then the body.
///
/// Checks: only `APIError` is thrown, with a 4xx status, a message and a JSON body that carries it; a `param`
/// names a field the API defines or one the form sent. A content type without a boundary never gives a form. A
/// form has parts, all named, no more bytes than the body, and its closing boundary. An accepted request has only
/// fields the API defines; its audio and file name are the `file` part's; its model is the `model` field, trimmed
/// and not empty; its response format the one asked for (json when none); timestamps other than the default only
/// with verbose_json; its hotwords (none without a prompt) at most `PromptHotwords.maximumHotwords`, distinct,
/// and compiled without error (an error there would be a 500, not a 400).
enum OpenAIRequestTarget {
    static let alphabet = Alphabet.english

    static func run(_ input: [UInt8]) {
        let lineEnd = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.count
        let header = String(decoding: input[..<lineEnd], as: UTF8.self)
        let contentType = header.isEmpty ? nil : header
        let body = ByteBuffer(bytes: input[min(lineEnd + 1, input.count)...])
        let boundary = contentType.flatMap { MultipartForm.boundary(contentType: $0) }
        let form: MultipartForm
        do {
            form = try MultipartForm(contentType: contentType, body: body)
        } catch {
            checkRefusal(error, knownParams: [])
            return
        }
        require(boundary != nil, "a form from the content type '\(header)', which has no boundary")
        check(form, body: body, boundary: boundary ?? "")
        let request: TranscriptionRequest
        do {
            request = try TranscriptionRequest(form: form, alphabet: alphabet)
        } catch {
            checkRefusal(error, knownParams: Set(form.parts.map(\.name)))
            return
        }
        check(request, form: form)
    }

    static func check(_ form: MultipartForm, body: ByteBuffer, boundary: String) {
        require(!form.parts.isEmpty, "a form without parts")
        require(form.parts.allSatisfy { !$0.name.isEmpty }, "a part without a name")
        let partBytes = form.parts.reduce(0) { $0 + $1.body.readableBytes }
        require(partBytes <= body.readableBytes, "parts of \(partBytes) bytes from a body of \(body.readableBytes)")
        let closing = Array("--\(boundary)--".utf8)
        let bytes = Array(body.readableBytesView)
        require(
            bytes.count >= closing.count
                && (0...(bytes.count - closing.count)).contains {
                    bytes[$0..<($0 + closing.count)].elementsEqual(closing)
                },
            "a form from a body without its closing boundary")
    }

    static func check(_ request: TranscriptionRequest, form: MultipartForm) {
        for part in form.parts {
            require(TranscriptionRequest.knownFields.contains(part.name), "accepted the unknown field '\(part.name)'")
        }
        guard let file = form["file"] else {
            require(false, "accepted a form without 'file'")
            return
        }
        require(request.audio == file.body, "the audio is not the 'file' part")
        require(request.filename == file.filename ?? "file", "file name '\(request.filename)'")
        let model = form["model"]?.text?.trimmingCharacters(in: .whitespacesAndNewlines)
        require(!request.model.isEmpty && request.model == model, "model '\(request.model)' from '\(model ?? "none")'")
        let format = form["response_format"]?.text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        require(
            request.responseFormat.rawValue == (format.isEmpty ? "json" : format),
            "response format \(request.responseFormat) for '\(format)'")
        if request.wordTimestamps || !request.segmentTimestamps {
            require(request.responseFormat == .verboseJSON, "timestamps chosen for \(request.responseFormat)")
            require(request.wordTimestamps || request.segmentTimestamps, "no timestamps at all")
        }
        let prompt = form["prompt"]?.text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        require(prompt.isEmpty ? request.hotwords.isEmpty : true, "hotwords without a prompt")
        require(request.hotwords.count <= PromptHotwords.maximumHotwords, "\(request.hotwords.count) hotwords")
        require(Set(request.hotwords.map(\.phrase)).count == request.hotwords.count, "repeated hotwords")
        do {
            _ = try Hotwords(entries: request.hotwords, alphabet: alphabet)
        } catch {
            require(false, "the prompt's hotwords do not compile: \(error)")
        }
    }

    /// An error the form or the request threw: an `APIError` with a 4xx status, a message, a JSON body that
    /// carries it, and a `param` the API defines or the form sent (`knownParams`).
    static func checkRefusal(_ error: any Error, knownParams: Set<String>) {
        guard let error = error as? APIError else {
            require(false, "threw \(type(of: error)), not an APIError: \(error)")
            return
        }
        require((400..<500).contains(error.status.code), "status \(error.status.code) for \(error.message)")
        require(!error.message.isEmpty, "an error without a message")
        if let param = error.param {
            require(
                TranscriptionRequest.knownFields.contains(param) || knownParams.contains(param), "param '\(param)'")
        }
        let json = try? JSONSerialization.jsonObject(with: Data(error.body.readableBytesView)) as? [String: Any]
        let detail = json?["error"] as? [String: Any]
        require(detail?["message"] as? String == error.message, "the error's JSON body does not carry its message")
    }
}
