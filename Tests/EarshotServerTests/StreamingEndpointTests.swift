#if Server
    import Earshot
    import Foundation
    import Testing

    @testable import EarshotServer

    extension ServerTests {
        /// The WebSocket at `/` in vosk-server's protocol, driven as Vosk's example clients drive it (a WAV sent in
        /// 8000-byte messages, one answer read after each), and with the input no client should send.
        @Suite struct StreamingEndpointTests {
            static let intro = try! Data(contentsOf: TestServer.audio("asterisk-vm-intro-8k.wav")).wavPayload

            /// Sends `pcm` in 8000-byte messages, reading the answer of each, then `{"eof": 1}`; returns the answers.
            static func stream(_ client: WebSocketTestClient, _ pcm: Data, config: String? = nil) throws -> [[String:
                Any]]
            {
                if let config { try client.sendText(config) }
                var answers: [[String: Any]] = []
                for start in stride(from: 0, to: pcm.count, by: 8000) {
                    try client.sendBinary(
                        [UInt8](pcm[pcm.startIndex + start..<pcm.startIndex + min(pcm.count, start + 8000)]))
                    answers.append(try client.receiveJSON())
                }
                try client.sendText(#"{"eof" : 1}"#)
                answers.append(try client.receiveJSON())
                return answers
            }

            /// The 8 kHz clip with no config (vosk-server's default rate is 8000 Hz): one answer per message, partials
            /// then results with words; the text of the results is the library's stream's.
            @Test func streamsAWAVLikeVoskClients() async throws {
                try await TestServer.with { port in
                    let client = try WebSocketTestClient(port: port)
                    let answers = try Self.stream(client, Self.intro)
                    #expect(answers.count == (Self.intro.count + 7999) / 8000 + 1)
                    #expect(answers.allSatisfy { $0["partial"] is String || $0["text"] is String })
                    let results = answers.filter { $0["text"] != nil }
                    let text = results.compactMap { $0["text"] as? String }.filter { !$0.isEmpty }.joined(
                        separator: " ")
                    #expect(text.contains("message"), "\(text)")
                    #expect(answers.last?["text"] != nil)
                    let words = results.flatMap { $0["result"] as? [[String: Any]] ?? [] }
                    #expect(!words.isEmpty)
                    #expect(words.allSatisfy { ($0["conf"] as? Double).map { (0...1).contains($0) } == true })
                    #expect(words.map { ($0["word"] as? String) ?? "" }.joined(separator: " ") == text)
                    // Times in seconds from the start of the stream, within the clip (5.65 s).
                    let times: [Double] = words.flatMap { word -> [Double] in
                        [(word["start"] as? Double) ?? -1, (word["end"] as? Double) ?? -1]
                    }
                    #expect(times == times.sorted() && times.first.map { $0 >= 0 } == true, "\(times)")
                    #expect((times.last ?? 99) <= 5.7, "\(times)")
                    // After the last result the server closes the stream normally.
                    #expect(try client.receive() == .close(code: 1000, reason: ""))
                }
            }

            /// A config with a 16 kHz rate, words off and a phrase list; `reset` ends the utterance and the stream goes on.
            @Test func honoursConfigAndReset() async throws {
                let fox = try Data(contentsOf: TestServer.audio("flite-slt-fox-16k.wav")).wavPayload
                try await TestServer.with { port in
                    let client = try WebSocketTestClient(port: port)
                    try client.sendText(
                        #"{"config": {"sample_rate": 16000, "words": false, "phrase_list": ["lazy dog"]}}"#)
                    try client.sendBinary([UInt8](fox.prefix(fox.count / 2)))
                    _ = try client.receiveJSON()
                    try client.sendText(#"{"reset": 1}"#)
                    let reset = try client.receiveJSON()
                    #expect(reset["text"] is String)
                    #expect(reset["result"] == nil)
                    let rest = try Self.stream(client, fox.suffix(from: fox.startIndex + fox.count / 2))
                    let all = ([reset] + rest).compactMap { $0["text"] as? String }.joined(separator: " ")
                    #expect(all.contains("dog"), "\(all)")
                }
            }

            /// Junk: binary noise of odd lengths is audio like any other (answered, never a crash); a text message that
            /// is not the protocol's closes that stream with 1003 naming the cause; a config after audio too; the
            /// server goes on serving.
            @Test func junkClosesOnlyItsStream() async throws {
                try await TestServer.with { port in
                    var generator = SystemRandomNumberGenerator()
                    let noisy = try WebSocketTestClient(port: port)
                    for size in [1, 3, 7999, 8001, 12345] {
                        try noisy.sendBinary((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
                        let answer = try noisy.receiveJSON()
                        #expect(answer["partial"] is String || answer["text"] is String, "\(answer)")
                    }
                    try noisy.sendText(#"{"eof": 1}"#)
                    #expect(try noisy.receiveJSON()["text"] is String)

                    let rude = try WebSocketTestClient(port: port)
                    try rude.sendText("hello there")
                    guard case .close(let code, let reason)? = try rude.receive() else {
                        Issue.record("expected a close frame")
                        return
                    }
                    #expect(code == 1003)
                    #expect(reason.contains("not a JSON object"))

                    let late = try WebSocketTestClient(port: port)
                    try late.sendBinary([0, 0, 0, 0])
                    _ = try late.receiveJSON()
                    try late.sendText(#"{"config": {"sample_rate": 16000}}"#)
                    #expect(try late.receive() == .close(code: 1003, reason: "config must come before the audio"))

                    let badRate = try WebSocketTestClient(port: port)
                    try badRate.sendText(#"{"config": {"sample_rate": "fast"}}"#)
                    guard case .close(1003, let why)? = try badRate.receive() else {
                        Issue.record("expected close 1003")
                        return
                    }
                    #expect(why.contains("sample_rate"))

                    let answers = try Self.stream(try WebSocketTestClient(port: port), Self.intro)
                    #expect(answers.last?["text"] is String)
                }
            }
        }
    }
#endif
