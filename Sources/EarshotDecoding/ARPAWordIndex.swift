/// Word ids by the words' UTF-8 bytes, for the ARPA parser: each word of each n-gram line is looked up straight
/// from the file's bytes, without making a `String` (and hashing it with the seeded `Hasher`) per word, which
/// was a third of the time to load a 4-gram model.
///
/// Ids are given in order (the n-th word inserted has id n), as the unigram section gives them. Open addressing
/// with linear probing over a power-of-two table kept at most half full; a slot holds a word id, or −1 when empty.
struct ARPAWordIndex {
    /// (total bytes): the words' bytes, one after the other.
    private var storage: [UInt8] = []
    /// (words + 1): word `i` is `storage[starts[i]..<starts[i + 1]]`.
    private var starts: [Int] = [0]
    /// (words): the hash of each word.
    private var hashes: [UInt64] = []
    /// (capacity): word ids, −1 = empty.
    private var slots: [Int32]
    private var mask: Int

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < 2 * expectedCount { capacity *= 2 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    var count: Int { hashes.count }

    /// FNV-1a over the bytes, then a multiplicative mix so that the low bits (the slot) depend on every byte.
    @inline(__always)
    private static func hash(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in range {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01b3
        }
        return (h ^ (h >> 29)) &* 0x9E37_79B9_7F4A_7C15
    }

    @inline(__always)
    private func equals(_ id: Int32, _ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let start = starts[Int(id)], end = starts[Int(id) + 1]
        guard end - start == range.count else { return false }
        var k = start
        for i in range {
            if storage[k] != bytes[i] { return false }
            k += 1
        }
        return true
    }

    /// The id of the word `bytes[range]`, or −1.
    func find(_ bytes: [UInt8], _ range: Range<Int>) -> Int32 {
        let h = Self.hash(bytes, range)
        var i = Int(truncatingIfNeeded: h >> 32) & mask
        while true {
            let id = slots[i]
            if id < 0 { return -1 }
            if hashes[Int(id)] == h && equals(id, bytes, range) { return id }
            i = (i + 1) & mask
        }
    }

    /// Adds the word `bytes[range]` with the next id (`count`) and returns it; returns nil (and changes nothing)
    /// when the word is already there.
    mutating func insert(_ bytes: [UInt8], _ range: Range<Int>) -> Int32? {
        guard find(bytes, range) < 0 else { return nil }
        if 2 * (count + 1) > slots.count { grow() }
        let id = Int32(count)
        let h = Self.hash(bytes, range)
        storage.append(contentsOf: bytes[range])
        starts.append(storage.count)
        hashes.append(h)
        place(id, hash: h)
        return id
    }

    private mutating func place(_ id: Int32, hash h: UInt64) {
        var i = Int(truncatingIfNeeded: h >> 32) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = id
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: 2 * slots.count)
        mask = slots.count - 1
        for id in hashes.indices { place(Int32(id), hash: hashes[id]) }
    }
}
