#if Server
    import NIOCore
    import Testing

    @testable import EarshotServer

    extension ServerTests {
        /// `MultipartForm` on bodies as clients send them and as no client should.
        @Suite struct MultipartFormTests {
            static let contentType = "multipart/form-data; boundary=b"

            static func form(_ body: String) throws -> MultipartForm {
                try MultipartForm(contentType: contentType, body: ByteBuffer(string: body))
            }

            /// The error message `body` is refused with, or nil when it is accepted.
            static func refusal(_ body: [UInt8]) -> String? {
                do {
                    _ = try MultipartForm(contentType: contentType, body: ByteBuffer(bytes: body))
                    return nil
                } catch let error as APIError {
                    return error.status.code == 400 ? error.message : "status \(error.status.code)"
                } catch {
                    return "\(type(of: error)): \(error)"
                }
            }

            /// Found by the `openai-request` fuzz target (FUZZING.md, finding 8): a part's header name with a byte
            /// over 0x7F made MultipartKit 4.7.1's parser index past its table of 128 flags, a trap that ended the
            /// server. It is a 400 like any other malformed body.
            @Test func aHeaderNameWithAByteOver0x7FIsMalformed() {
                #expect(Self.refusal(Array("--b\r\n".utf8) + [0x80]) != nil)
                let body = Array(
                    "--b\r\nContent-Disposition: form-data; name=\"model\"\r\nX-\u{E9}: 1\r\n\r\nw\r\n--b--\r\n".utf8)
                #expect(
                    Self.refusal(body)
                        == "the multipart body is malformed (a part's header line is not 'Name: value')")
            }

            @Test func partsKeepTheirNamesHeadersAndBytes() throws {
                let form = try Self.form(
                    "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
                        + "--b  \r\ncontent-disposition: form-data; name=\"file\"; filename=\"a b.wav\"\r\n"
                        + "Content-Type: audio/wav\r\n\r\nRIFF\r\n-b\r\n--b--\r\nepilogue")
                #expect(form.parts.map(\.name) == ["model", "file"])
                #expect(form["model"]?.text == "whisper-1")
                #expect(form["file"]?.filename == "a b.wav")
                #expect(form["file"]?.contentType == "audio/wav")
                #expect(form["file"]?.text == "RIFF\r\n-b")
            }

            @Test(arguments: [
                "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--b",
                "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1",
                "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n", "--b", "", "no boundary at all",
            ])
            func aBodyCutShortIsIncomplete(_ body: String) {
                #expect(
                    Self.refusal(Array(body.utf8))
                        == "the multipart body ends before its closing boundary: the upload is incomplete")
            }

            @Test func malformedBodiesAreRefused() {
                #expect(Self.refusal(Array("--b--\r\n".utf8)) == "the multipart body has no parts")
                #expect(
                    Self.refusal(Array("--bc\r\n\r\n--b--".utf8))?.hasPrefix("the multipart body is malformed") == true)
                #expect(
                    Self.refusal(Array("--b\r\n: x\r\n\r\n\r\n--b--".utf8))?.hasPrefix(
                        "the multipart body is malformed") == true)
                #expect(
                    Self.refusal(Array("--b\r\nX: y\r\n\r\n\r\n--b--".utf8))?.hasPrefix("a multipart part has no name")
                        == true)
            }
        }
    }
#endif
