extension BeamSearchDecoder {
    /// Scratch memory of the beam search, owned by the caller and reused across frames and calls, so that a
    /// decode allocates only when an utterance needs more room than any before it (and for its result).
    ///
    /// It holds the prefix arena (a trie of every prefix the search created: parent pointers, no label arrays
    /// copied), the hash from (parent, label) to child that makes each prefix one node, the two beams of the
    /// current and next frame, and the candidate lists. Not thread-safe: one workspace per thread (a decoder
    /// itself is immutable and can be shared).
    public final class Workspace {
        // The prefix arena, one entry per node (structure of arrays). Node 0 is the empty prefix.
        /// (nodes): the parent node, −1 for the root.
        var parent = RawBuffer<Int32>()
        /// (nodes): the last label of the prefix (0, the blank, for the root).
        var label = RawBuffer<Int32>()
        /// (nodes): the frame at which the prefix first entered the beam, −1 until it does.
        var frame = RawBuffer<Int32>()
        /// (nodes): the parent's frame when this node was last timed: the frame of the parent's label on the
        /// paths through this node.
        var parentFrame = RawBuffer<Int32>()
        /// (nodes): where the node's (parent, label) entry sits in the hash.
        var hashSlot = RawBuffer<Int32>()
        /// (nodes): 1 once a child of the node has been timed (its own timing is then frozen).
        var hasTimedChild = RawBuffer<UInt8>()
        /// (nodes): frame index + 1 while the node is in the current beam (compared with the frame's stamp).
        var beamStamp = RawBuffer<Int32>()
        /// (nodes): the node's slot in the current beam, valid while `beamStamp` matches.
        var beamSlot = RawBuffer<Int32>()
        /// (nodes): language-model and hotword state; used only when the decoder has either.
        var state = RawBuffer<PrefixState>()
        var nodeCount = 0

        // (parent, label) → child, open addressing; key 0 = empty.
        var hashKeys = RawBuffer<UInt64>()
        var hashValues = RawBuffer<Int32>()
        var hashCapacity = 0
        var hashCount = 0

        // The beams, current (index `current`) and next: node, ln P(prefix, ends in blank), ln P(…, ends in
        // non-blank), all (beamWidth).
        var beamNode = (RawBuffer<Int32>(), RawBuffer<Int32>())
        var beamBlank = (RawBuffer<Float>(), RawBuffer<Float>())
        var beamNonBlank = (RawBuffer<Float>(), RawBuffer<Float>())

        // Per frame: the next blank / non-blank scores of the current beam's prefixes (beamWidth), and the new
        // prefixes proposed (beamWidth × topK): parent slot, label, existing node or −1, ln P(ends in label),
        // state; then the selection keys (beamWidth × (topK + 1)).
        var nextBlank = RawBuffer<Float>()
        var nextNonBlank = RawBuffer<Float>()
        var carried = RawBuffer<Float>()
        /// (beamWidth, V): the beam slot of prefix + label for the hypothesis in each slot, valid where
        /// `childStamp` holds the frame's stamp.
        var childSlot = RawBuffer<Int32>()
        var childStamp = RawBuffer<Int32>()
        var candidateSlot = RawBuffer<Int32>()
        var candidateLabel = RawBuffer<Int32>()
        var candidateNode = RawBuffer<Int32>()
        var candidateNonBlank = RawBuffer<Float>()
        var candidateState = RawBuffer<PrefixState>()
        /// (beamWidth · topK): each candidate's prefix score, and 1 when its state is not computed yet.
        var candidateScore = RawBuffer<Float>()
        var candidateLazy = RawBuffer<UInt8>()
        var scores = RawBuffer<Float>()
        var keys = RawBuffer<UInt64>()

        // The frame's pruned symbols and its sanitised log-probabilities (V).
        var symbols = RawBuffer<Int32>()
        var symbolLogP = RawBuffer<Float>()
        var row = RawBuffer<Float>()
        /// (2 · beamWidth): nodes entering the beam or re-timed during the frame.
        var timed = RawBuffer<Int32>()

        public init() {}

        deinit {
            parent.release(); label.release(); frame.release(); beamStamp.release(); beamSlot.release()
            state.release(); hashKeys.release(); hashValues.release()
            beamNode.0.release(); beamNode.1.release(); beamBlank.0.release(); beamBlank.1.release()
            beamNonBlank.0.release(); beamNonBlank.1.release()
            nextBlank.release(); nextNonBlank.release(); carried.release(); childSlot.release(); childStamp.release()
            candidateSlot.release(); candidateLabel.release()
            candidateNode.release(); candidateNonBlank.release(); candidateState.release(); candidateScore.release()
            candidateLazy.release(); scores.release()
            keys.release(); symbols.release(); symbolLogP.release(); row.release(); timed.release()
            parentFrame.release(); hasTimedChild.release(); hashSlot.release()
        }

        /// Sizes the per-frame buffers for one decode and empties the arena and the hash.
        func prepare(beamWidth: Int, topK: Int, vocabularySize: Int, scoring: Bool) {
            let proposals = beamWidth * topK
            beamNode.0.reserve(beamWidth, keeping: 0); beamNode.1.reserve(beamWidth, keeping: 0)
            beamBlank.0.reserve(beamWidth, keeping: 0); beamBlank.1.reserve(beamWidth, keeping: 0)
            beamNonBlank.0.reserve(beamWidth, keeping: 0); beamNonBlank.1.reserve(beamWidth, keeping: 0)
            nextBlank.reserve(beamWidth, keeping: 0)
            nextNonBlank.reserve(beamWidth, keeping: 0)
            carried.reserve(beamWidth, keeping: 0)
            childSlot.reserve(beamWidth * vocabularySize, keeping: 0)
            childStamp.reserve(beamWidth * vocabularySize, keeping: 0)
            childStamp.base.update(repeating: 0, count: beamWidth * vocabularySize)
            candidateSlot.reserve(proposals, keeping: 0)
            candidateLabel.reserve(proposals, keeping: 0)
            candidateNode.reserve(proposals, keeping: 0)
            candidateNonBlank.reserve(proposals, keeping: 0)
            if scoring {
                candidateState.reserve(proposals, keeping: 0)
                candidateScore.reserve(proposals, keeping: 0)
                candidateLazy.reserve(proposals, keeping: 0)
            }
            scores.reserve(beamWidth + proposals, keeping: 0)
            keys.reserve(beamWidth + proposals, keeping: 0)
            symbols.reserve(vocabularySize, keeping: 0)
            symbolLogP.reserve(vocabularySize, keeping: 0)
            row.reserve(vocabularySize, keeping: 0)
            timed.reserve(2 * beamWidth, keeping: 0)
            // Empty the hash: every node but the root has exactly one entry, so clear those (not the whole table).
            for node in 1..<max(1, nodeCount) { hashKeys.base[Int(hashSlot.base[node])] = 0 }
            hashCount = 0
            nodeCount = 0
        }

        /// Makes room for `extra` more nodes (and their hash entries) without moving memory mid-frame.
        func reserveNodes(_ extra: Int, scoring: Bool) {
            let needed = nodeCount + extra
            if needed > parent.capacity {
                let capacity = max(needed, 2 * parent.capacity, 1024)
                parent.reserve(capacity, keeping: nodeCount)
                label.reserve(capacity, keeping: nodeCount)
                frame.reserve(capacity, keeping: nodeCount)
                parentFrame.reserve(capacity, keeping: nodeCount)
                hasTimedChild.reserve(capacity, keeping: nodeCount)
                hashSlot.reserve(capacity, keeping: nodeCount)
                beamStamp.reserve(capacity, keeping: nodeCount)
                beamSlot.reserve(capacity, keeping: nodeCount)
            }
            if scoring && needed > state.capacity {
                state.reserve(max(needed, 2 * state.capacity, 1024), keeping: nodeCount)
            }
            if 2 * (hashCount + extra) > hashCapacity { rehash(minimum: 2 * (hashCount + extra)) }
        }

        private func rehash(minimum: Int) {
            var capacity = max(hashCapacity, 2048)
            while capacity < 2 * minimum { capacity *= 2 }
            let oldKeys = hashKeys, oldValues = hashValues, oldCapacity = hashCapacity
            hashKeys = RawBuffer<UInt64>()
            hashValues = RawBuffer<Int32>()
            hashKeys.reserve(capacity, keeping: 0)
            hashValues.reserve(capacity, keeping: 0)
            hashKeys.base.update(repeating: 0, count: capacity)
            hashCapacity = capacity
            let mask = capacity - 1
            for i in 0..<oldCapacity where oldKeys.base[i] != 0 {
                var j = Workspace.slot(oldKeys.base[i], mask: mask)
                while hashKeys.base[j] != 0 { j = (j + 1) & mask }
                hashKeys.base[j] = oldKeys.base[i]
                hashValues.base[j] = oldValues.base[i]
                hashSlot.base[Int(oldValues.base[i])] = Int32(j)
            }
            oldKeys.release()
            oldValues.release()
        }

        @inline(__always)
        static func key(parent: Int32, label: Int32) -> UInt64 {
            ((UInt64(UInt32(bitPattern: parent)) << 8) | UInt64(UInt32(bitPattern: label))) &+ 1
        }

        @inline(__always)
        static func slot(_ key: UInt64, mask: Int) -> Int {
            Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        }
    }
}

/// A growable array of trivial values in manually managed memory: what the workspace's hot loops index through
/// plain pointers (no bounds or uniqueness checks, no retain/release). Freed by its owner.
struct RawBuffer<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int

    init() {
        base = UnsafeMutablePointer<Element>.allocate(capacity: 1)
        capacity = 0
    }

    /// Grows to hold at least `count` elements, keeping the first `keeping`.
    mutating func reserve(_ count: Int, keeping: Int) {
        guard count > capacity else { return }
        let new = UnsafeMutablePointer<Element>.allocate(capacity: count)
        if keeping > 0 { new.moveInitialize(from: base, count: keeping) }
        base.deallocate()
        base = new
        capacity = count
    }

    /// Frees the memory; the buffer must not be used afterwards.
    func release() {
        base.deallocate()
    }
}
