#if Server
    /// A byte string to search for, found in time linear in the bytes searched whatever they hold
    /// (Knuth–Morris–Pratt), so a body made to defeat a naive search costs no more than any other.
    struct BytePattern {
        let bytes: [UInt8]
        /// For each prefix length, the length of its longest proper prefix that is also its suffix.
        private let fallback: [Int]

        /// CRLF.
        static let lineBreak = BytePattern([13, 10])

        init(_ bytes: [UInt8]) {
            precondition(!bytes.isEmpty, "BytePattern: an empty pattern")
            self.bytes = bytes
            var fallback = [Int](repeating: 0, count: bytes.count + 1)
            var matched = 0
            for i in 1..<bytes.count {
                while matched > 0 && bytes[i] != bytes[matched] { matched = fallback[matched] }
                if bytes[i] == bytes[matched] { matched += 1 }
                fallback[i + 1] = matched
            }
            self.fallback = fallback
        }

        /// Where the pattern first starts in `haystack` at or after `start`, or nil.
        func first(in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
            var matched = 0
            var i = start
            while i < haystack.count {
                while matched > 0 && haystack[i] != bytes[matched] { matched = fallback[matched] }
                if haystack[i] == bytes[matched] { matched += 1 }
                i += 1
                if matched == bytes.count { return i - matched }
            }
            return nil
        }
    }
#endif
