#if Server
    import Testing

    @testable import EarshotServer

    extension ServerTests {
        /// Text messages of Vosk's protocol with values no client should send.
        @Suite struct VoskProtocolTests {
            /// Found while writing the `vosk-message` fuzz target (FUZZING.md, finding 9): a finite `sample_rate`
            /// beyond `Int`'s range was converted with `Int(_:)`, a trap that ended the server.
            @Test(arguments: ["1e300", "-1e300", "1e19", "9.3e18", "16000.5", "-16000"])
            func aSampleRateThatIsNoRateIsAProtocolError(_ rate: String) {
                #expect {
                    _ = try VoskProtocol.parse("{\"config\": {\"sample_rate\": \(rate)}}")
                } throws: { error in
                    (error as? VoskProtocol.ProtocolError)?.description.hasPrefix("sample_rate must be") == true
                }
            }

            @Test func aSupportedRateIsTaken() throws {
                #expect(
                    try VoskProtocol.parse("{\"config\": {\"sample_rate\": 8000.0}}")
                        == .config(.init(sampleRate: 8000)))
            }
        }
    }
#endif
