#if Server
    import NIOCore
    import Testing

    @testable import EarshotServer

    extension ServerTests {
        /// Vosk's binary messages: 16-bit PCM that a client may cut anywhere, odd byte counts included.
        @Suite struct PCMMessageDecoderTests {
            /// 8 samples' bytes: 0, 1, −1, 32767, −32768, 256, 2, −2 as little-endian 16-bit values.
            static let bytes: [UInt8] = [0, 0, 1, 0, 255, 255, 255, 127, 0, 128, 0, 1, 2, 0, 254, 255]

            @Test func samplesDoNotDependOnHowTheBytesAreCut() {
                var whole = PCMMessageDecoder()
                let expected = whole.samples(ByteBuffer(bytes: Self.bytes))
                #expect(expected == [0, 1, -1, 32767, -32768, 256, 2, -2].map { Float($0) / 32768 })
                for cuts in [[1, 3, 5, 7, 9, 11, 13, 15], [3], [5, 6], [0, 0, 15], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] {
                    var decoder = PCMMessageDecoder()
                    var samples: [Float] = []
                    var start = 0
                    for end in cuts + [Self.bytes.count] {
                        samples += decoder.samples(ByteBuffer(bytes: Self.bytes[start..<end]))
                        #expect((decoder.carry != nil) == (end % 2 == 1))
                        start = end
                    }
                    #expect(samples == expected, "cut at \(cuts)")
                }
            }
        }
    }
#endif
