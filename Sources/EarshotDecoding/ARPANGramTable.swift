/// The n-grams of order ≥ 2 of an `ARPALanguageModel`, hashed by (context, word): the id of the n-gram
/// `w1 … wn` is found from the id of its context `w1 … w(n−1)` and the word id of `wn`, so a lookup is one
/// probe sequence whatever the order, and contexts chain naturally from unigram ids.
///
/// Open addressing with linear probing over a power-of-two table kept at most half full. A key packs
/// (context + 1, word) into 64 bits, so 0 marks an empty slot.
struct ARPANGramTable: Sendable, Equatable {
    /// (capacity): packed keys, 0 = empty.
    private var keys: [UInt64]
    /// (capacity): the n-gram id of each key.
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < 2 * expectedCount { capacity *= 2 }
        keys = [UInt64](repeating: 0, count: capacity)
        values = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    private static func key(_ context: Int32, _ word: Int32) -> UInt64 {
        (UInt64(UInt32(bitPattern: context &+ 1)) << 32) | UInt64(UInt32(bitPattern: word))
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        // Fibonacci hashing: the high bits of key × 2⁶⁴/φ spread consecutive ids well.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The id of the n-gram (context's words, word), or −1.
    @inline(__always)
    func find(context: Int32, word: Int32) -> Int32 {
        let k = Self.key(context, word)
        var i = slot(k)
        while true {
            let stored = keys[i]
            if stored == k { return values[i] }
            if stored == 0 { return -1 }
            i = (i + 1) & mask
        }
    }

    /// Inserts the n-gram; returns false (and changes nothing) when it is already present.
    mutating func insert(context: Int32, word: Int32, id: Int32) -> Bool {
        if 2 * (count + 1) > keys.count { grow() }
        let k = Self.key(context, word)
        var i = slot(k)
        while keys[i] != 0 {
            if keys[i] == k { return false }
            i = (i + 1) & mask
        }
        keys[i] = k
        values[i] = id
        count += 1
        return true
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: 2 * oldKeys.count)
        values = [Int32](repeating: -1, count: 2 * oldKeys.count)
        mask = keys.count - 1
        for (k, v) in zip(oldKeys, oldValues) where k != 0 {
            var i = slot(k)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k
            values[i] = v
        }
    }
}
