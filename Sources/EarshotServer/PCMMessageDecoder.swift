#if Server
    import NIOCore

    /// The samples of Vosk's binary messages: 16-bit little-endian mono PCM, which a client may cut anywhere. A
    /// message of odd length leaves its last byte to be the first half of the next message's first sample, so the
    /// samples of a stream do not depend on how it was cut into messages.
    struct PCMMessageDecoder {
        /// The last byte of the messages so far when their length is odd, waiting for its other half.
        private(set) var carry: UInt8?

        /// The samples `message` completes (the byte carried from the messages before it first), each value /
        /// 32768, so in [-1, 1); its last byte is carried when the bytes are odd in number.
        mutating func samples(_ message: ByteBuffer) -> [Float] {
            var bytes = Array(message.readableBytesView)
            if let first = carry {
                bytes.insert(first, at: 0)
                carry = nil
            }
            if bytes.count % 2 == 1 { carry = bytes.removeLast() }
            var samples = [Float](repeating: 0, count: bytes.count / 2)
            for i in samples.indices {
                let value = Int16(bitPattern: UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8)
                samples[i] = Float(value) / 32768
            }
            return samples
        }
    }
#endif
