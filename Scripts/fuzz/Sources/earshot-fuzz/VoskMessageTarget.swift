import EarshotAudio
import EarshotDecoding
import NIOCore

@testable import EarshotServer

/// The messages of a WebSocket stream in Vosk's protocol as `StreamSession` and `StreamDecoder` read them
/// without a model: each text message through `VoskProtocol.parse` (and a config's `phrase_list` made into
/// hotwords and compiled with the English alphabet, as `StreamDecoder.configure` does), each binary message
/// through `PCMMessageDecoder`. Input layout, message after message: byte 0x01, a length byte N and N bytes are a
/// binary message; anything else is a text message up to the next NUL byte (UTF-8, invalid sequences replaced, as
/// the WebSocket library hands text over).
///
/// Checks: only `ProtocolError` is thrown, with a description; an accepted config has a sample rate in
/// `AudioFile.supportedSampleRates` (the rates the server states) when it has one, and its phrase list's hotwords
/// are distinct and compile. The samples of all binary messages are exactly those of their bytes joined (however
/// they were cut), each in [-1, 1), with a byte carried exactly when the bytes so far are odd in number.
enum VoskMessageTarget {
    enum Message {
        case text(String)
        case binary([UInt8])
    }

    static func run(_ input: [UInt8]) {
        var pcm = PCMMessageDecoder()
        var bytes: [UInt8] = []
        var samples: [Float] = []
        for message in messages(input) {
            switch message {
            case .text(let text):
                check(text)
            case .binary(let message):
                bytes += message
                samples += pcm.samples(ByteBuffer(bytes: message))
                require(samples.count == bytes.count / 2, "\(samples.count) samples from \(bytes.count) bytes")
                require((pcm.carry != nil) == (bytes.count % 2 == 1), "carry \(String(describing: pcm.carry))")
            }
        }
        var whole = PCMMessageDecoder()
        require(whole.samples(ByteBuffer(bytes: bytes)) == samples, "samples depend on how the messages were cut")
        require(samples.allSatisfy { $0 >= -1 && $0 < 1 }, "a sample outside [-1, 1)")
    }

    static func check(_ text: String) {
        let message: VoskProtocol.ClientMessage
        do {
            message = try VoskProtocol.parse(text)
        } catch {
            require(error is VoskProtocol.ProtocolError, "threw \(type(of: error)), not a ProtocolError: \(error)")
            require(!"\(error)".isEmpty, "a ProtocolError without a description")
            return
        }
        guard case .config(let config) = message else { return }
        if let rate = config.sampleRate {
            require(AudioFile.supportedSampleRates.contains(rate), "sample rate \(rate)")
        }
        guard let hotwords = config.hotwords(alphabet: .english) else { return }
        require(Set(hotwords.map(\.phrase)).count == hotwords.count, "repeated hotwords")
        do {
            _ = try Hotwords(entries: hotwords, alphabet: .english)
        } catch {
            require(false, "the phrase list's hotwords do not compile: \(error)")
        }
    }

    /// The messages of `input` in the layout above.
    static func messages(_ input: [UInt8]) -> [Message] {
        var messages: [Message] = []
        var offset = 0
        while offset < input.count {
            if input[offset] == 1 {
                let start = min(offset + 2, input.count)
                let length = offset + 1 < input.count ? Int(input[offset + 1]) : 0
                let end = min(start + length, input.count)
                messages.append(.binary(Array(input[start..<end])))
                offset = end
            } else {
                let end = input[offset...].firstIndex(of: 0) ?? input.count
                messages.append(.text(String(decoding: input[offset..<end], as: UTF8.self)))
                offset = end + 1
            }
        }
        return messages
    }
}
