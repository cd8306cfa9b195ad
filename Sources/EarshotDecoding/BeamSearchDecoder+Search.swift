import Foundation

/// The frame loop of the prefix beam search (the recursion is documented on `BeamSearchDecoder`).
///
/// Per frame, with n hypotheses in the beam and k symbols kept:
/// 1. the frame's row is copied (NaN → −∞); a near-certain blank frame only updates p_b and p_nb in place;
/// 2. the symbols within `pruneThreshold` of the best, at most `topK`, are kept;
/// 3. each hypothesis gets its next p_b (blank) and p_nb (repeat), and is marked in the beam (a stamp per node);
/// 4. each hypothesis × kept symbol is an extension; one whose prefix is in the beam (found in a per-frame
///    table of the beam's parent → child links) is merged into that hypothesis's p_nb; the others become
///    candidates (parent slot, label, node or −1, p_nb, prefix state), their node found by the hash
///    (parent, label) → child;
///    candidates that cannot make the cut (below the full beam's lowest score, or `beamThreshold` below its
///    best) are dropped on the spot, before their prefix state is computed;
/// 5. the n hypotheses and the candidates are ranked by p_b ⊕ p_nb + prefix score; those more than
///    `beamThreshold` below the best are dropped, and a quickselect on packed (score, index) keys keeps the
///    best `beamWidth` (ties go to the lower index: old hypotheses first, then candidates in order);
/// 6. surviving candidates become nodes (created only now, except space extensions under a language model,
///    whose node is created when first proposed so that the word's LM score is computed once).
/// Emission frames: a node is (re)timed to the current frame when it enters the beam, and when an extension into
/// it outweighs the mass it carries over (p_b ⊕ p_nb times the frame's blank and repeat): the frame where most
/// of the prefix's probability emitted its last label, not the first frame a wide beam happened to admit it
/// with a tiny probability. Timing a node also records its parent's frame as of the previous frame
/// (`parentFrame`): the frame of the parent's label on the paths through this node, so the parent can still be
/// re-timed without moving it. Once a node has a timed child its timing is frozen (the child recorded it).
/// Nothing is allocated inside the loop: the workspace is sized before it, and grown once per frame at most.
extension BeamSearchDecoder {
    /// Runs all frames; the final beam is left in the workspace's current beam (`.0`). Returns its size.
    func search(_ logProbabilities: UnsafeBufferPointer<Float>, frameCount: Int, vocabularySize: Int, _ ws: Workspace)
        -> Int
    {
        let beamWidth = options.beamWidth
        let topK = max(1, min(options.topK, vocabularySize - 1))
        let scoring = hasLanguageModel || hasHotwords
        // Labels whose prefix state needs the language model: their nodes are created as soon as proposed.
        let eagerLabel = hasLanguageModel ? Int32(separator) : -2
        let skipLogP: Float = options.blankSkipThreshold > 1 ? .infinity : logf(options.blankSkipThreshold)
        // Hypotheses may lead only by a hotword bonus they will give back if the match breaks: widen the cut by
        // the largest such bonus, so that it never drops a hypothesis within `beamThreshold` of the best one
        // counted without held bonuses.
        let cutBelowBest = options.beamThreshold + (hasHotwords ? hotwords.maxHeldBonus : 0)

        ws.prepare(beamWidth: beamWidth, topK: topK, vocabularySize: vocabularySize, scoring: scoring)
        ws.reserveNodes(1 + beamWidth, scoring: scoring)
        let rootState = initialState
        let root = ws.newNode(parent: -1, label: 0, state: scoring ? rootState : nil)
        var n = 1
        ws.beamNode.0.base[0] = root
        ws.beamBlank.0.base[0] = 0
        ws.beamNonBlank.0.base[0] = -.infinity

        let row = ws.row.base  // (V)
        let timed = ws.timed.base  // (2 · beamWidth): the nodes to time at the end of the frame
        let symbols = ws.symbols.base, symbolLogP = ws.symbolLogP.base  // (≤ V)
        let nextBlank = ws.nextBlank.base, nextNonBlank = ws.nextNonBlank.base  // (beamWidth)
        let childSlot = ws.childSlot.base, childStamp = ws.childStamp.base  // (beamWidth, V)
        let carried = ws.carried.base  // (beamWidth): nextBlank ⊕ nextNonBlank, kept up to date through merges
        let candidateSlot = ws.candidateSlot.base, candidateLabel = ws.candidateLabel.base  // (beamWidth · topK)
        let candidateNode = ws.candidateNode.base, candidateNonBlank = ws.candidateNonBlank.base
        let candidateState = ws.candidateState.base, candidateScore = ws.candidateScore.base
        let candidateLazy = ws.candidateLazy.base
        let separatorLabel = Int32(separator)
        let scores = ws.scores.base, keys = ws.keys.base  // (beamWidth · (topK + 1))

        for t in 0..<frameCount {
            // 1. The frame.
            let source = logProbabilities.baseAddress! + t * vocabularySize
            for v in 0..<vocabularySize {
                let x = source[v]
                row[v] = x.isNaN ? -.infinity : x
            }
            let blankLogP = row[0]
            let beamNode = ws.beamNode.0.base, beamBlank = ws.beamBlank.0.base
            let beamNonBlank = ws.beamNonBlank.0.base
            if blankLogP >= skipLogP {
                let label = ws.label.base
                for i in 0..<n {
                    let last = Int(label[Int(beamNode[i])])
                    let repeated = last != 0 ? beamNonBlank[i] + row[last] : -.infinity
                    beamBlank[i] = logAdd(beamBlank[i], beamNonBlank[i]) + blankLogP
                    beamNonBlank[i] = repeated
                }
                continue
            }

            // 2. The symbols that may start a prefix: within pruneThreshold of the best, at most topK.
            var best: Float = -.infinity
            for v in 1..<vocabularySize where row[v] > best { best = row[v] }
            let floor = best - options.pruneThreshold
            var k = 0
            for v in 1..<vocabularySize where row[v] >= floor && row[v] > -.infinity {
                // Insertion into a list sorted by decreasing log-probability (stable: lower label first).
                var j = k
                while j > 0 && symbolLogP[j - 1] < row[v] {
                    symbols[j] = symbols[j - 1]
                    symbolLogP[j] = symbolLogP[j - 1]
                    j -= 1
                }
                symbols[j] = Int32(v)
                symbolLogP[j] = row[v]
                k = min(k + 1, topK)
            }

            // 3. Blank and repeat: the hypotheses' own next scores.
            ws.reserveNodes(n * k + beamWidth, scoring: scoring)
            let label = ws.label.base, frame = ws.frame.base, parentFrame = ws.parentFrame.base
            let parent = ws.parent.base, hasTimedChild = ws.hasTimedChild.base
            let beamStamp = ws.beamStamp.base, beamSlot = ws.beamSlot.base, state = ws.state.base
            let hashKeys = ws.hashKeys.base, hashValues = ws.hashValues.base, hashMask = ws.hashCapacity - 1
            let stamp = Int32(t + 1)
            var lowest: Float = .infinity, highest: Float = -.infinity
            for i in 0..<n {
                let node = Int(beamNode[i])
                beamStamp[node] = stamp
                beamSlot[node] = Int32(i)
                let last = Int(label[node])
                let total = logAdd(beamBlank[i], beamNonBlank[i])
                scores[i] = total
                nextBlank[i] = total + blankLogP
                nextNonBlank[i] = last != 0 ? beamNonBlank[i] + row[last] : -.infinity
                carried[i] = logAdd(nextBlank[i], nextNonBlank[i])
                var s = carried[i]
                if scoring { s += state[node].score }
                lowest = min(lowest, s)
                highest = max(highest, s)
            }
            // The beam's own extensions: prefix + c is in the beam when a hypothesis's parent is; a table
            // (beam slot of the parent, label) → slot, stamped per frame, finds them without hashing.
            for j in 0..<n {
                let p = Int(parent[Int(beamNode[j])])
                if p >= 0 && beamStamp[p] == stamp {
                    let cell = Int(beamSlot[p]) * vocabularySize + Int(label[Int(beamNode[j])])
                    childStamp[cell] = stamp
                    childSlot[cell] = Int32(j)
                }
            }
            // A candidate that cannot make the cut is not worth its state (nor a place in the selection): the
            // hypotheses' scores only grow with merges, so when the beam is full no candidate scoring below its
            // lowest can enter (ties go to hypotheses), and none below the best − beamThreshold either.
            // With a language model or hotwords, the candidate's prefix score is bounded by `scoreBound`.
            let skipBelow = max(n >= beamWidth ? lowest : -.infinity, highest - cutBelowBest)

            // 4. Extensions: merged into a hypothesis already in the beam, or proposed as candidates.
            var m = 0
            var timedCount = 0
            for i in 0..<n {
                let node = beamNode[i]
                let last = label[Int(node)]
                let total = scores[i]
                let blankEnding = beamBlank[i]
                let parentState = scoring ? state[Int(node)] : rootState
                for q in 0..<k {
                    let c = symbols[q]
                    let value = (c == last ? blankEnding : total) + symbolLogP[q]
                    if value == -.infinity { continue }
                    let cell = i * vocabularySize + Int(c)
                    if childStamp[cell] == stamp {
                        // Merge into the hypothesis of prefix + c. When the new emission outweighs the mass it
                        // carries over from the last frame, most of its probability now has its last label
                        // emitted here: re-time it.
                        let j = Int(childSlot[cell])
                        if value > carried[j] {
                            timed[timedCount] = beamNode[j]
                            timedCount += 1
                        }
                        nextNonBlank[j] = logAdd(nextNonBlank[j], value)
                        carried[j] = logAdd(carried[j], value)
                        continue
                    }
                    var bound: Float = 0
                    if scoring {
                        bound = scoreBound(parentState, by: Int(c))
                        if value + bound < skipBelow { continue }
                    } else if value < skipBelow {
                        continue
                    }
                    // A new candidate: its node may exist from an earlier frame (the hash keeps one node per
                    // prefix, so that merging stays exact when a prefix leaves the beam and comes back).
                    let key = Workspace.key(parent: node, label: c)
                    var h = Workspace.slot(key, mask: hashMask)
                    var child: Int32 = -1
                    while true {
                        let stored = hashKeys[h]
                        if stored == key {
                            child = hashValues[h]
                            break
                        }
                        if stored == 0 { break }
                        h = (h + 1) & hashMask
                    }
                    if child < 0 && c == eagerLabel {
                        child = ws.newNode(parent: node, label: c, state: advance(parentState, by: Int(c)))
                        hashKeys[h] = key
                        hashValues[h] = child
                        ws.hashSlot.base[Int(child)] = Int32(h)
                        ws.hashCount += 1
                    }
                    candidateSlot[m] = Int32(i)
                    candidateLabel[m] = c
                    candidateNode[m] = child
                    candidateNonBlank[m] = value
                    if scoring {
                        // The state of a new prefix is computed now only when its score needs it (a separator);
                        // a letter's score is `scoreBound`'s, and its state waits until the prefix survives.
                        candidateLazy[m] = 0
                        if child >= 0 {
                            candidateState[m] = state[Int(child)]
                            candidateScore[m] = state[Int(child)].score
                        } else if c != separatorLabel {
                            candidateScore[m] = bound
                            candidateLazy[m] = 1
                        } else {
                            candidateState[m] = advance(parentState, by: Int(c))
                            candidateScore[m] = candidateState[m].score
                        }
                    }
                    m += 1
                }
            }

            // 5. Ranking and selection.
            var top: Float = -.infinity
            for i in 0..<n {
                var s = carried[i]
                if scoring { s += state[Int(beamNode[i])].score }
                scores[i] = s
                top = max(top, s)
            }
            for q in 0..<m {
                var s = candidateNonBlank[q]
                if scoring { s += candidateScore[q] }
                scores[n + q] = s
                top = max(top, s)
            }
            if top == -.infinity {
                // Every path is impossible from here on (a frame of −∞): keep the hypotheses as they are.
                for i in 0..<n {
                    beamBlank[i] = nextBlank[i]
                    beamNonBlank[i] = nextNonBlank[i]
                }
                continue
            }
            let cut = top - cutBelowBest
            var count = 0
            for x in 0..<(n + m) where scores[x] >= cut && scores[x] > -.infinity {
                keys[count] = packedKey(scores[x], index: x)
                count += 1
            }
            if count > beamWidth {
                selectLargest(keys, count: count, k: beamWidth)
                count = beamWidth
            }

            // 6. The next beam.
            let nextNode = ws.beamNode.1.base, nextBeamBlank = ws.beamBlank.1.base
            let nextBeamNonBlank = ws.beamNonBlank.1.base
            for s in 0..<count {
                let x = Int(UInt32.max - UInt32(truncatingIfNeeded: keys[s]))
                if x < n {
                    nextNode[s] = beamNode[x]
                    nextBeamBlank[s] = nextBlank[x]
                    nextBeamNonBlank[s] = nextNonBlank[x]
                } else {
                    let q = x - n
                    var child = candidateNode[q]
                    if child < 0 {
                        let p = beamNode[Int(candidateSlot[q])]
                        var prefixState: PrefixState? = nil
                        if scoring {
                            prefixState = candidateLazy[q] != 0
                                ? advance(ws.state.base[Int(p)], by: Int(candidateLabel[q])) : candidateState[q]
                        }
                        child = ws.newNode(parent: p, label: candidateLabel[q], state: prefixState)
                        ws.insertChild(parent: p, label: candidateLabel[q], child: child)
                    }
                    timed[timedCount] = child
                    timedCount += 1
                    nextNode[s] = child
                    nextBeamBlank[s] = -.infinity
                    nextBeamNonBlank[s] = candidateNonBlank[q]
                }
            }
            // Timing: nodes with a timed child keep their timing (their children recorded it); the others
            // record their parent's frame as of the previous frame, then take this frame.
            var kept = 0
            for r in 0..<timedCount {
                let node = Int(timed[r])
                if hasTimedChild[node] != 0 { continue }
                parentFrame[node] = frame[Int(parent[node])]
                timed[kept] = Int32(node)
                kept += 1
            }
            for r in 0..<kept {
                let node = Int(timed[r])
                frame[node] = Int32(t)
                hasTimedChild[Int(parent[node])] = 1
            }
            n = count
            ws.beamNode = (ws.beamNode.1, ws.beamNode.0)
            ws.beamBlank = (ws.beamBlank.1, ws.beamBlank.0)
            ws.beamNonBlank = (ws.beamNonBlank.1, ws.beamNonBlank.0)
        }
        return n
    }
}

/// A key whose unsigned order is the order of (score, −index): the score's bits mapped to an order-preserving
/// integer in the high half, the complemented index in the low half (unique keys; ties go to lower indices).
@inline(__always)
func packedKey(_ score: Float, index: Int) -> UInt64 {
    let bits = score.bitPattern
    let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    return (UInt64(ordered) << 32) | UInt64(UInt32.max - UInt32(truncatingIfNeeded: index))
}

/// Rearranges `keys[0..<count]` (distinct) so that its `k` largest come first, in no particular order
/// (quickselect, Hoare partition, median-of-three pivot).
func selectLargest(_ keys: UnsafeMutablePointer<UInt64>, count: Int, k: Int) {
    guard k > 0 && k < count else { return }
    var low = 0, high = count - 1
    let target = k - 1
    while low < high {
        let mid = low + (high - low) / 2
        let a = keys[low], b = keys[mid], c = keys[high]
        let pivot = max(min(a, b), min(max(a, b), c))
        var i = low, j = high
        while i <= j {
            while keys[i] > pivot { i += 1 }
            while keys[j] < pivot { j -= 1 }
            if i <= j {
                keys.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if target <= j {
            high = j
        } else if target >= i {
            low = i
        } else {
            return
        }
    }
}

extension BeamSearchDecoder.Workspace {
    /// Appends a node (room must have been reserved); its frame is −1 until it enters the beam.
    @inline(__always)
    func newNode(parent p: Int32, label l: Int32, state s: PrefixState?) -> Int32 {
        let id = nodeCount
        parent.base[id] = p
        label.base[id] = l
        frame.base[id] = -1
        parentFrame.base[id] = -1
        hasTimedChild.base[id] = 0
        beamStamp.base[id] = 0
        if let s { state.base[id] = s }
        nodeCount += 1
        return Int32(id)
    }

    /// Records `child` as the node of (parent, label), which must not be in the hash yet.
    @inline(__always)
    func insertChild(parent p: Int32, label l: Int32, child: Int32) {
        let key = Self.key(parent: p, label: l)
        let mask = hashCapacity - 1
        var h = Self.slot(key, mask: mask)
        while hashKeys.base[h] != 0 { h = (h + 1) & mask }
        hashKeys.base[h] = key
        hashValues.base[h] = child
        hashSlot.base[Int(child)] = Int32(h)
        hashCount += 1
    }
}

extension UnsafeMutablePointer where Pointee == UInt64 {
    @inline(__always)
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}
