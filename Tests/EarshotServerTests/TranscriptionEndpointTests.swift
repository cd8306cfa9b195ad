#if Server
    import Earshot
    import Foundation
    import Testing

    @testable import EarshotServer

    extension ServerTests {
        /// `POST /v1/audio/transcriptions` over a real socket: OpenAI's form in, each response format out, and each bad
        /// request answered with OpenAI's error shape naming its cause.
        @Suite struct TranscriptionEndpointTests {
            static let fox = try! Data(contentsOf: TestServer.audio("flite-slt-fox-16k.wav"))

            static func upload(
                port: Int, audio: Data = fox, filename: String = "fox.wav",
                fields: [(String, String)] = [("model", "whisper-1")]
            ) throws -> HTTPExchange.Response {
                var form = MultipartBody()
                form.file("file", filename: filename, audio)
                for (name, value) in fields { form.field(name, value) }
                return try HTTPExchange.send(
                    port: port, method: "POST", path: "/v1/audio/transcriptions",
                    headers: [("Content-Type", form.contentType)],
                    body: form.closed)
            }

            /// The transcript the library gives for the same file: what every format must carry.
            static let expected = try! TestServer.recognizer.transcribe(
                file: TestServer.audio("flite-slt-fox-16k.wav").path)

            @Test func answersEveryResponseFormat() async throws {
                try await TestServer.with { port in
                    let json = try Self.upload(port: port)
                    #expect(json.status == 200, "\(json.text)")
                    #expect(json.headers["content-type"] == "application/json")
                    #expect(json.json["text"] as? String == Self.expected.text)
                    #expect(!Self.expected.text.isEmpty)
                    #expect((json.json["usage"] as? [String: Any])?["seconds"] as? Int == 4)

                    let text = try Self.upload(port: port, fields: [("model", "x"), ("response_format", "text")])
                    #expect(text.status == 200)
                    #expect(text.text == Self.expected.text + "\n")

                    let srt = try Self.upload(port: port, fields: [("model", "x"), ("response_format", "srt")])
                    #expect(srt.text == Self.expected.subRip())
                    #expect(srt.text.hasPrefix("1\n00:00:0"))

                    let vtt = try Self.upload(port: port, fields: [("model", "x"), ("response_format", "vtt")])
                    #expect(vtt.text == Self.expected.webVTT())
                    #expect(vtt.headers["content-type"]?.hasPrefix("text/vtt") == true)

                    let verbose = try Self.upload(
                        port: port,
                        fields: [
                            ("model", "x"), ("response_format", "verbose_json"), ("timestamp_granularities[]", "word"),
                            ("timestamp_granularities[]", "segment"),
                        ])
                    #expect(verbose.status == 200, "\(verbose.text)")
                    let object = verbose.json
                    #expect(object["task"] as? String == "transcribe")
                    #expect(object["language"] as? String == "english")
                    #expect(abs(((object["duration"] as? Double) ?? 0) - 3.83) < 0.01)
                    let words = object["words"] as? [[String: Any]] ?? []
                    #expect(words.map { ($0["word"] as? String) ?? "" } == Self.expected.words.map(\.text))
                    #expect(words.allSatisfy { (($0["start"] as? Double) ?? -1) <= (($0["end"] as? Double) ?? -2) })
                    let segments = object["segments"] as? [[String: Any]] ?? []
                    #expect(segments.count == Self.expected.segments.filter { !$0.text.isEmpty }.count)
                    #expect(segments.first?["avg_logprob"] is Double)

                    // Words only when asked for; segments by default.
                    let plain = try Self.upload(
                        port: port, fields: [("model", "x"), ("response_format", "verbose_json")])
                    #expect(plain.json["words"] == nil)
                    #expect(plain.json["segments"] != nil)
                }
            }

            /// The prompt's names become hotwords: a glossary is accepted and decodes; a prompt making too many is a 400
            /// naming `prompt`.
            @Test func promptBecomesHotwords() async throws {
                let entries = try PromptHotwords.entries(
                    prompt: "Earshot, Hummingbird;\nVosk, earshot", alphabet: .english)
                #expect(entries.map(\.phrase) == ["earshot", "hummingbird", "vosk"])
                let sentence = try PromptHotwords.entries(
                    prompt: "The meeting was about Earshot and the Vosk server", alphabet: .english)
                #expect(sentence.map(\.phrase) == ["meeting", "about", "earshot", "vosk", "server"])
                try await TestServer.with { port in
                    let ok = try Self.upload(
                        port: port, fields: [("model", "x"), ("prompt", "quick brown fox, river bank")])
                    #expect(ok.status == 200, "\(ok.text)")
                    #expect(((ok.json["text"] as? String) ?? "").contains("fox"))
                    let many = (0..<101).map { "name\(String(UnicodeScalar(97 + $0 % 26)!))\($0)" }.joined(
                        separator: ",")
                    let refused = try Self.upload(port: port, fields: [("model", "x"), ("prompt", many)])
                    #expect(refused.status == 400)
                    #expect(refused.error?["param"] as? String == "prompt")
                }
            }

            /// Each field refused names itself in `param`, with OpenAI's error object (message, type, param, code).
            @Test func refusesBadFieldsWithOpenAIErrors() async throws {
                try await TestServer.with { port in
                    let cases: [([(String, String)], String, String)] = [
                        (
                            [("model", "x"), ("colour", "blue")], "colour",
                            "Unrecognized request argument supplied: colour"
                        ),
                        ([], "model", "'model'"),
                        ([("model", "x"), ("response_format", "mp3")], "response_format", "not supported"),
                        (
                            [("model", "x"), ("timestamp_granularities[]", "word")], "timestamp_granularities[]",
                            "verbose_json"
                        ),
                        ([("model", "x"), ("language", "fr")], "language", "English"),
                        ([("model", "x"), ("temperature", "hot")], "temperature", "number"),
                        ([("model", "x"), ("stream", "true")], "stream", "WebSocket"),
                    ]
                    for (fields, param, words) in cases {
                        let response = try Self.upload(port: port, fields: fields)
                        #expect(response.status == 400, "\(fields)")
                        let error = try #require(response.error, "\(response.text)")
                        #expect(error["param"] as? String == param)
                        #expect(error["type"] as? String == "invalid_request_error")
                        #expect(response.errorMessage.contains(words), "\(error)")
                        #expect(error.keys.sorted() == ["code", "message", "param", "type"])
                    }
                    var noFile = MultipartBody()
                    noFile.field("model", "x")
                    let missing = try HTTPExchange.send(
                        port: port, method: "POST", path: "/v1/audio/transcriptions",
                        headers: [("Content-Type", noFile.contentType)], body: noFile.closed)
                    #expect(missing.status == 400)
                    #expect(missing.error?["param"] as? String == "file")
                }
            }

            /// Bad input over the wire: a multipart body cut before its closing boundary, a body that is not multipart,
            /// a WAV whose header is broken, bytes that are not audio; each a clear error, and the server goes on.
            @Test func badUploadsGetClearErrors() async throws {
                try await TestServer.with { port in
                    var form = MultipartBody()
                    form.field("model", "x")
                    form.file("file", filename: "fox.wav", Self.fox)
                    let cut = form.closed.prefix(form.closed.count - 200)
                    let truncated = try HTTPExchange.send(
                        port: port, method: "POST", path: "/v1/audio/transcriptions",
                        headers: [("Content-Type", form.contentType)], body: cut)
                    #expect(truncated.status == 400)
                    #expect(truncated.errorMessage.contains("closing boundary"), "\(truncated.text)")

                    let json = try HTTPExchange.send(
                        port: port, method: "POST", path: "/v1/audio/transcriptions",
                        headers: [("Content-Type", "application/json")], body: Data(#"{"file": "fox.wav"}"#.utf8))
                    #expect(json.status == 415)
                    #expect(json.errorMessage.contains("application/json"))

                    var broken = Self.fox
                    broken.replaceSubrange(12..<16, with: Data("junk".utf8))  // the "fmt " chunk's id
                    broken.replaceSubrange(20..<24, with: Data([0xFF, 0xFF, 0xFF, 0xFF]))
                    let badHeader = try Self.upload(port: port, audio: broken)
                    #expect(badHeader.status == 400, "\(badHeader.text)")
                    #expect(badHeader.error?["code"] as? String == "invalid_audio")
                    #expect(badHeader.errorMessage.hasPrefix("file 'fox.wav': "))

                    let text = try Self.upload(
                        port: port, audio: Data("hello, this is not audio\n".utf8), filename: "notes.txt")
                    #expect(text.status == 400)
                    #expect(text.error?["param"] as? String == "file")

                    let empty = try Self.upload(port: port, audio: Data())
                    #expect(empty.status == 400)

                    let ok = try Self.upload(port: port)
                    #expect(ok.status == 200)
                }
            }

            @Test func healthAndMetrics() async throws {
                try await TestServer.with { port in
                    let health = try HTTPExchange.send(port: port, method: "GET", path: "/health")
                    #expect(health.status == 200)
                    #expect(health.json["status"] as? String == "ok")
                    _ = try Self.upload(port: port)
                    _ = try Self.upload(port: port, fields: [("model", "x"), ("bogus", "1")])
                    let metrics = try HTTPExchange.send(port: port, method: "GET", path: "/metrics")
                    #expect(metrics.status == 200)
                    for line in [
                        #"earshot_requests_total{endpoint="transcriptions",status="200"} 1"#,
                        #"earshot_requests_total{endpoint="transcriptions",status="400"} 1"#,
                        #"earshot_errors_total{endpoint="transcriptions",kind="bad_request"} 1"#,
                        "earshot_active_streams 0",
                    ] {
                        #expect(metrics.text.contains(line), "\(line)\n\(metrics.text)")
                    }
                    #expect(metrics.text.contains(#"earshot_audio_seconds_total{endpoint="transcriptions"} 3.83"#))
                    #expect(metrics.text.contains("earshot_real_time_factor_bucket"))
                }
            }
        }
    }
#endif
