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
///
/// Each step is one function below, in the order of the loop, with a single call site. Those whose work per
/// frame is small are `@inline(__always)`; `extend`, the hypothesis × symbol loop, is `@inline(never)` (see
/// there). All scores are natural-log probabilities (nats).
extension BeamSearchDecoder {
    /// Runs all frames; the final beam is left in the workspace's current beam (`.0`). Returns its size.
    /// `logProbabilities` is (T, V) row-major, T = `frameCount`, V = `vocabularySize`.
    func search(_ logProbabilities: UnsafeBufferPointer<Float>, frameCount: Int, vocabularySize: Int, _ ws: Workspace)
        -> Int
    {
        let settings = SearchSettings(self, vocabularySize: vocabularySize)
        ws.prepare(
            beamWidth: settings.beamWidth, topK: settings.topK, vocabularySize: vocabularySize,
            scoring: settings.scoring)
        var n = startBeam(ws, settings)
        let buffers = FrameBuffers(ws)

        for t in 0..<frameCount {
            let beam = ws.currentBeam
            // 1. The frame; a near-certain blank frame only updates p_b and p_nb in place.
            copyFrame(logProbabilities.baseAddress! + t * vocabularySize, into: buffers.row, count: vocabularySize)
            if buffers.row[0] >= settings.blankSkipLogP {
                advanceThroughBlankFrame(beam, count: n, row: buffers.row, label: ws.label.base)
                continue
            }

            // 2. The symbols that may start a prefix.
            let k = keepSymbols(buffers.row, buffers, settings)

            // 3. Blank and repeat: the hypotheses' own next scores; the beam marked, its own extensions indexed.
            ws.reserveNodes(n * k + settings.beamWidth, scoring: settings.scoring)
            let arena = NodeArena(ws)
            let stamp = Int32(t + 1)
            let carried = carryOver(beam, count: n, stamp: stamp, arena, buffers, settings)
            indexBeamExtensions(beam, count: n, stamp: stamp, arena, buffers, settings)

            // 4. Extensions: merged into a hypothesis already in the beam, or proposed as candidates.
            let floor = settings.candidateFloor(carried, beamIsFull: n >= settings.beamWidth)
            let extended = extend(
                beam, count: n, symbolCount: k, floor: floor, stamp: stamp, ws, arena, buffers, settings)

            // 5. Ranking and selection.
            let top = rank(beam, count: n, candidateCount: extended.candidates, arena, buffers, settings)
            if top == -.infinity {
                // Every path is impossible from here on (a frame of −∞): keep the hypotheses as they are.
                keepCarriedScores(beam, count: n, buffers)
                continue
            }
            let count = selectBest(n + extended.candidates, cut: top - settings.cutBelowBest, buffers, settings)

            // 6. The next beam: surviving candidates become nodes; entering and re-timed nodes are timed.
            let timedCount = fillNextBeam(
                ws.nextBeam, count: count, from: beam, beamCount: n, timedCount: extended.timed, ws, buffers,
                settings)
            timeNodes(timedCount, atFrame: t, arena, buffers)
            n = count
            ws.swapBeams()
        }
        return n
    }

    /// The beam before the first frame: the root (the empty prefix) alone, p_b = 0 and p_nb = −∞. Creates the
    /// root node (with the initial prefix state when scoring) and returns the beam's size, 1.
    @inline(__always)
    private func startBeam(_ ws: Workspace, _ settings: SearchSettings) -> Int {
        ws.reserveNodes(1 + settings.beamWidth, scoring: settings.scoring)
        let root = ws.newNode(parent: -1, label: 0, state: settings.scoring ? settings.rootState : nil)
        let beam = ws.currentBeam
        beam.node[0] = root
        beam.blank[0] = 0
        beam.nonBlank[0] = -.infinity
        return 1
    }

    // MARK: 1. The frame

    /// Copies one frame's `count` (V) log-probabilities from `source` into `row` (V), NaN read as −∞.
    @inline(__always)
    private func copyFrame(_ source: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>, count: Int) {
        for v in 0..<count {
            let x = source[v]
            row[v] = x.isNaN ? -.infinity : x
        }
    }

    /// A near-certain blank frame proposes no prefix: each of the `count` hypotheses of `beam` takes, in place,
    /// its next p_b = (p_b ⊕ p_nb) + y[blank] and p_nb = p_nb + y[last label] (−∞ for the root). `row` is the
    /// frame y (V); `label` is the arena's last label per node (nodes).
    @inline(__always)
    private func advanceThroughBlankFrame(
        _ beam: Beam, count n: Int, row: UnsafeMutablePointer<Float>, label: UnsafeMutablePointer<Int32>
    ) {
        let blankLogP = row[0]
        for i in 0..<n {
            let last = Int(label[Int(beam.node[i])])
            let repeated = last != 0 ? beam.nonBlank[i] + row[last] : -.infinity
            beam.blank[i] = logAdd(beam.blank[i], beam.nonBlank[i]) + blankLogP
            beam.nonBlank[i] = repeated
        }
    }

    // MARK: 2. The kept symbols

    /// The symbols (labels 1..<V) that may start a prefix: those within `pruneThreshold` of the frame's best
    /// symbol and above −∞, at most `topK`. They go to `symbols` and `symbolLogP` (k each) by decreasing
    /// log-probability, ties to the lower label (a stable insertion sort). Returns k, 0 ≤ k ≤ `topK`.
    @inline(__always)
    private func keepSymbols(_ row: UnsafeMutablePointer<Float>, _ buffers: FrameBuffers, _ settings: SearchSettings)
        -> Int
    {
        let symbols = buffers.symbols, symbolLogP = buffers.symbolLogP
        var best: Float = -.infinity
        for v in 1..<settings.vocabularySize where row[v] > best { best = row[v] }
        let floor = best - settings.pruneThreshold
        var k = 0
        for v in 1..<settings.vocabularySize where row[v] >= floor && row[v] > -.infinity {
            var j = k
            while j > 0 && symbolLogP[j - 1] < row[v] {
                symbols[j] = symbols[j - 1]
                symbolLogP[j] = symbolLogP[j - 1]
                j -= 1
            }
            symbols[j] = Int32(v)
            symbolLogP[j] = row[v]
            k = min(k + 1, settings.topK)
        }
        return k
    }

    // MARK: 3. Blank and repeat

    /// The terms that create no prefix, for the `count` hypotheses of `beam` (per slot i, all (beamWidth)):
    /// `scores[i]` = p_b ⊕ p_nb (read by `extend` as the hypothesis's total; `rank` overwrites it),
    /// `nextBlank[i]` = that + y[blank], `nextNonBlank[i]` = p_nb + y[last label] (−∞ for the root), and
    /// `carried[i]` = their ⊕. Marks each hypothesis's node as in the beam: `beamStamp` = `stamp` (frame + 1),
    /// `beamSlot` = i. Returns the lowest and highest of carried + prefix score: the hypotheses' ranking
    /// scores before any merge.
    @inline(__always)
    private func carryOver(
        _ beam: Beam, count n: Int, stamp: Int32, _ arena: NodeArena, _ buffers: FrameBuffers,
        _ settings: SearchSettings
    ) -> CarriedRange {
        let row = buffers.row, scores = buffers.scores, carried = buffers.carried
        let nextBlank = buffers.nextBlank, nextNonBlank = buffers.nextNonBlank
        let blankLogP = row[0]
        var lowest: Float = .infinity, highest: Float = -.infinity
        for i in 0..<n {
            let node = Int(beam.node[i])
            arena.beamStamp[node] = stamp
            arena.beamSlot[node] = Int32(i)
            let last = Int(arena.label[node])
            let total = logAdd(beam.blank[i], beam.nonBlank[i])
            scores[i] = total
            nextBlank[i] = total + blankLogP
            nextNonBlank[i] = last != 0 ? beam.nonBlank[i] + row[last] : -.infinity
            carried[i] = logAdd(nextBlank[i], nextNonBlank[i])
            var s = carried[i]
            if settings.scoring { s += arena.state[node].score }
            lowest = min(lowest, s)
            highest = max(highest, s)
        }
        return CarriedRange(lowest: lowest, highest: highest)
    }

    /// The beam's own extensions: prefix + c is in the beam when a hypothesis's parent is. For each hypothesis
    /// j whose parent is in the beam (marked by `carryOver` with `stamp`), the (beamWidth, V) table cell
    /// (beam slot of the parent, j's label) gets `childSlot` = j and `childStamp` = `stamp`, so that `extend`
    /// finds these extensions without hashing (a cell is valid only while its stamp is the frame's).
    @inline(__always)
    private func indexBeamExtensions(
        _ beam: Beam, count n: Int, stamp: Int32, _ arena: NodeArena, _ buffers: FrameBuffers,
        _ settings: SearchSettings
    ) {
        for j in 0..<n {
            let p = Int(arena.parent[Int(beam.node[j])])
            if p >= 0 && arena.beamStamp[p] == stamp {
                let cell = Int(arena.beamSlot[p]) * settings.vocabularySize + Int(arena.label[Int(beam.node[j])])
                buffers.childStamp[cell] = stamp
                buffers.childSlot[cell] = Int32(j)
            }
        }
    }

    // MARK: 4. Extensions

    /// Every hypothesis of `beam` (`count` of them) × every kept symbol (`symbolCount`): p_nb of prefix + c is
    /// p_b + y[c] when c repeats the last label, (p_b ⊕ p_nb) + y[c] otherwise. An extension whose prefix is in
    /// the beam is merged into that hypothesis (`merge`); any other becomes a candidate, unless its ranking
    /// score (p_nb + a bound of its prefix score when scoring) is below `floor`. A candidate's node is looked
    /// up in the hash (an earlier frame may have made it); a missing separator node under a language model is
    /// created now. Returns the number of candidates written to the candidate columns (≤ beamWidth · topK) and
    /// the number of nodes in `timed` (re-timed by merges).
    ///
    /// Compiled on its own, once per frame, on purpose: this loop has the most live values (some twenty
    /// pointers, the hypothesis's scores and state, the bound), and inside the frame loop's single function
    /// they spilled to the stack. Out of line they stay in registers: about 20 % fewer instructions per decode
    /// (callgrind), for one call per frame.
    @inline(never)
    private func extend(
        _ beam: Beam, count n: Int, symbolCount k: Int, floor: Float, stamp: Int32, _ ws: Workspace,
        _ arena: NodeArena, _ buffers: FrameBuffers, _ settings: SearchSettings
    ) -> (candidates: Int, timed: Int) {
        let scoring = settings.scoring
        var m = 0
        var timedCount = 0
        for i in 0..<n {
            let node = beam.node[i]
            let last = arena.label[Int(node)]
            let total = buffers.scores[i]
            let blankEnding = beam.blank[i]
            let parentState = scoring ? arena.state[Int(node)] : settings.rootState
            for q in 0..<k {
                let c = buffers.symbols[q]
                let value = (c == last ? blankEnding : total) + buffers.symbolLogP[q]
                if value == -.infinity { continue }
                let cell = i * settings.vocabularySize + Int(c)
                if buffers.childStamp[cell] == stamp {
                    merge(value, into: Int(buffers.childSlot[cell]), beam, buffers, timedCount: &timedCount)
                    continue
                }
                var bound: Float = 0
                if scoring {
                    bound = scoreBound(parentState, by: Int(c))
                    if value + bound < floor { continue }
                } else if value < floor {
                    continue
                }
                // A new candidate: its node may exist from an earlier frame (the hash keeps one node per
                // prefix, so that merging stays exact when a prefix leaves the beam and comes back).
                let key = Workspace.key(parent: node, label: c)
                var (child, hashSlot) = arena.findChild(key)
                if child < 0 && c == settings.eagerLabel {
                    child = ws.newNode(parent: node, label: c, state: advance(parentState, by: Int(c)))
                    ws.recordChild(child, key: key, at: hashSlot)
                }
                propose(
                    m, slot: i, label: c, node: child, nonBlank: value, scoreBound: bound, parentState: parentState,
                    arena, buffers, settings)
                m += 1
            }
        }
        return (m, timedCount)
    }

    /// Merges an extension with p_nb `value` into the hypothesis in beam slot `j`: adds it (⊕) to its
    /// `nextNonBlank` and `carried`. When the new emission outweighs the mass the hypothesis carries over from
    /// the last frame, most of its probability now has its last label emitted here: its node is appended to
    /// `timed` (`timedCount` counts them).
    @inline(__always)
    private func merge(_ value: Float, into j: Int, _ beam: Beam, _ buffers: FrameBuffers, timedCount: inout Int) {
        if value > buffers.carried[j] {
            buffers.timed[timedCount] = beam.node[j]
            timedCount += 1
        }
        buffers.nextNonBlank[j] = logAdd(buffers.nextNonBlank[j], value)
        buffers.carried[j] = logAdd(buffers.carried[j], value)
    }

    /// Writes candidate `m`: the beam slot of its parent, its label, its node (−1 while it has none), and its
    /// p_nb (`nonBlank`). When scoring, also its prefix score: the node's, if it has one; for a letter,
    /// `scoreBound` (exact for letters), its state left to compute if it survives (`candidateLazy` = 1); for a
    /// separator, whose score needs the language model, the state itself (from `parentState`).
    @inline(__always)
    private func propose(
        _ m: Int, slot i: Int, label c: Int32, node child: Int32, nonBlank value: Float, scoreBound bound: Float,
        parentState: PrefixState, _ arena: NodeArena, _ buffers: FrameBuffers, _ settings: SearchSettings
    ) {
        buffers.candidateSlot[m] = Int32(i)
        buffers.candidateLabel[m] = c
        buffers.candidateNode[m] = child
        buffers.candidateNonBlank[m] = value
        if settings.scoring {
            buffers.candidateLazy[m] = 0
            if child >= 0 {
                buffers.candidateState[m] = arena.state[Int(child)]
                buffers.candidateScore[m] = arena.state[Int(child)].score
            } else if c != settings.separatorLabel {
                buffers.candidateScore[m] = bound
                buffers.candidateLazy[m] = 1
            } else {
                buffers.candidateState[m] = advance(parentState, by: Int(c))
                buffers.candidateScore[m] = buffers.candidateState[m].score
            }
        }
    }

    // MARK: 5. Ranking and selection

    /// The ranking scores, into `scores` (n + m): hypothesis i (of `count` = n) at i, carried + prefix score;
    /// candidate q (of `candidateCount` = m) at n + q, p_nb + prefix score. Returns the best of them (−∞ when
    /// every path is impossible).
    @inline(__always)
    private func rank(
        _ beam: Beam, count n: Int, candidateCount m: Int, _ arena: NodeArena, _ buffers: FrameBuffers,
        _ settings: SearchSettings
    ) -> Float {
        let scores = buffers.scores
        var top: Float = -.infinity
        for i in 0..<n {
            var s = buffers.carried[i]
            if settings.scoring { s += arena.state[Int(beam.node[i])].score }
            scores[i] = s
            top = max(top, s)
        }
        for q in 0..<m {
            var s = buffers.candidateNonBlank[q]
            if settings.scoring { s += buffers.candidateScore[q] }
            scores[n + q] = s
            top = max(top, s)
        }
        return top
    }

    /// The selection among the `total` (n + m) ranked entries of `scores`: those at or above `cut` (and above
    /// −∞) get a packed (score, index) key, and a quickselect moves the best `beamWidth` of them to the front
    /// of `keys` (ties to the lower index: hypotheses first, then candidates in order). Returns how many keys
    /// were kept, ≤ `beamWidth`.
    @inline(__always)
    private func selectBest(_ total: Int, cut: Float, _ buffers: FrameBuffers, _ settings: SearchSettings) -> Int {
        let scores = buffers.scores, keys = buffers.keys
        var count = 0
        for x in 0..<total where scores[x] >= cut && scores[x] > -.infinity {
            keys[count] = packedKey(scores[x], index: x)
            count += 1
        }
        if count > settings.beamWidth {
            selectLargest(keys, count: count, k: settings.beamWidth)
            count = settings.beamWidth
        }
        return count
    }

    /// A frame where every path is impossible: the `count` hypotheses stay, with their next p_b and p_nb.
    @inline(__always)
    private func keepCarriedScores(_ beam: Beam, count n: Int, _ buffers: FrameBuffers) {
        for i in 0..<n {
            beam.blank[i] = buffers.nextBlank[i]
            beam.nonBlank[i] = buffers.nextNonBlank[i]
        }
    }

    // MARK: 6. The next beam

    /// Writes the `count` selected entries (the front of `keys`) to beam `next`. A hypothesis of `beam` (index
    /// < `beamCount`) keeps its node, with its next p_b and p_nb. A candidate gets its node (`nodeOfCandidate`),
    /// p_b = −∞ and its p_nb, and the node is appended to `timed` after the `timedCount` already there.
    /// Returns the number of nodes in `timed`.
    @inline(__always)
    private func fillNextBeam(
        _ next: Beam, count: Int, from beam: Beam, beamCount n: Int, timedCount: Int, _ ws: Workspace,
        _ buffers: FrameBuffers, _ settings: SearchSettings
    ) -> Int {
        var timedCount = timedCount
        for s in 0..<count {
            let x = Int(UInt32.max - UInt32(truncatingIfNeeded: buffers.keys[s]))
            if x < n {
                next.node[s] = beam.node[x]
                next.blank[s] = buffers.nextBlank[x]
                next.nonBlank[s] = buffers.nextNonBlank[x]
            } else {
                let q = x - n
                let child = nodeOfCandidate(q, beam, ws, buffers, settings)
                buffers.timed[timedCount] = child
                timedCount += 1
                next.node[s] = child
                next.blank[s] = -.infinity
                next.nonBlank[s] = buffers.candidateNonBlank[q]
            }
        }
        return timedCount
    }

    /// Candidate `q`'s node: the one it was proposed with, or a new one, created now (its state computed if it
    /// was left lazy) and recorded in the hash as the child (parent, label).
    @inline(__always)
    private func nodeOfCandidate(
        _ q: Int, _ beam: Beam, _ ws: Workspace, _ buffers: FrameBuffers, _ settings: SearchSettings
    ) -> Int32 {
        var child = buffers.candidateNode[q]
        if child < 0 {
            let p = beam.node[Int(buffers.candidateSlot[q])]
            var prefixState: PrefixState? = nil
            if settings.scoring {
                prefixState =
                    buffers.candidateLazy[q] != 0
                    ? advance(ws.state.base[Int(p)], by: Int(buffers.candidateLabel[q])) : buffers.candidateState[q]
            }
            child = ws.newNode(parent: p, label: buffers.candidateLabel[q], state: prefixState)
            ws.insertChild(parent: p, label: buffers.candidateLabel[q], child: child)
        }
        return child
    }

    /// Times the `count` nodes of `timed` (entering the beam or re-timed) to frame `t`. A node with a timed
    /// child keeps its timing (its children recorded it); any other first records its parent's frame as of
    /// the previous frame (`parentFrame`), then takes frame t and freezes its parent's timing (`hasTimedChild`).
    @inline(__always)
    private func timeNodes(_ count: Int, atFrame t: Int, _ arena: NodeArena, _ buffers: FrameBuffers) {
        let timed = buffers.timed
        var kept = 0
        for r in 0..<count {
            let node = Int(timed[r])
            if arena.hasTimedChild[node] != 0 { continue }
            arena.parentFrame[node] = arena.frame[Int(arena.parent[node])]
            timed[kept] = Int32(node)
            kept += 1
        }
        for r in 0..<kept {
            let node = Int(timed[r])
            arena.frame[node] = Int32(t)
            arena.hasTimedChild[Int(arena.parent[node])] = 1
        }
    }
}

/// What the frame loop takes from the decoder's options, alphabet and scorers: fixed for one decode.
private struct SearchSettings {
    /// V: outputs per frame, the blank (0) included.
    let vocabularySize: Int
    /// Hypotheses kept per frame (`beamWidth`).
    let beamWidth: Int
    /// Symbols kept per frame at most: `topK` clamped to 1...V − 1.
    let topK: Int
    /// Nats below the frame's best symbol beyond which a symbol starts no prefix (`pruneThreshold`).
    let pruneThreshold: Float
    /// ln `blankSkipThreshold`: a frame whose blank log-probability reaches it proposes no prefix (+∞: never).
    let blankSkipLogP: Float
    /// Nats below the best ranking score beyond which a hypothesis is dropped: `beamThreshold`, widened by the
    /// largest hotword bonus a hypothesis may hold. It may lead only by bonuses it gives back if the match
    /// breaks, so the cut never drops a hypothesis within `beamThreshold` of the best one counted without them.
    let cutBelowBest: Float
    /// Whether prefixes have a language-model or hotword score (then every node has a `PrefixState`).
    let scoring: Bool
    /// The label whose prefix state needs the language model: the separator under a language model (its node
    /// is created as soon as proposed, so that the word's LM score is computed once), otherwise −2 (none).
    let eagerLabel: Int32
    /// The separator's label, −1 when the alphabet has none.
    let separatorLabel: Int32
    /// The empty prefix's state; the parent state passed (and ignored) when not scoring.
    let rootState: PrefixState

    init(_ decoder: BeamSearchDecoder, vocabularySize: Int) {
        let options = decoder.options
        self.vocabularySize = vocabularySize
        beamWidth = options.beamWidth
        topK = max(1, min(options.topK, vocabularySize - 1))
        pruneThreshold = options.pruneThreshold
        blankSkipLogP = options.blankSkipThreshold > 1 ? .infinity : logf(options.blankSkipThreshold)
        cutBelowBest = options.beamThreshold + (decoder.hasHotwords ? decoder.hotwords.maxHeldBonus : 0)
        scoring = decoder.hasLanguageModel || decoder.hasHotwords
        eagerLabel = decoder.hasLanguageModel ? Int32(decoder.separator) : -2
        separatorLabel = Int32(decoder.separator)
        rootState = decoder.initialState
    }

    /// The ranking score (nats) below which a new candidate cannot make the cut, so it is not worth its state
    /// (nor a place in the selection): the hypotheses' scores only grow with merges, so when the beam is full
    /// no candidate scoring below its lowest can enter (ties go to hypotheses), and none below the best −
    /// `cutBelowBest` either. With a language model or hotwords, a candidate's prefix score is bounded by
    /// `scoreBound`.
    @inline(__always)
    func candidateFloor(_ carried: CarriedRange, beamIsFull: Bool) -> Float {
        max(beamIsFull ? carried.lowest : -.infinity, carried.highest - cutBelowBest)
    }
}

/// The lowest and highest ranking score (carried + prefix score, nats) of the beam's hypotheses after the
/// blank and repeat terms, before any merge.
private struct CarriedRange {
    let lowest: Float
    let highest: Float
}

/// The workspace's per-frame buffers, as pointers: `prepare` sizes them before the frame loop, and they do not
/// move inside it. Shapes: V outputs, beamWidth hypotheses, topK symbols kept per frame.
private struct FrameBuffers {
    /// (V): the frame's log-probabilities, NaN → −∞.
    let row: UnsafeMutablePointer<Float>
    /// (≤ topK): the kept symbols and their log-probabilities, by decreasing log-probability.
    let symbols: UnsafeMutablePointer<Int32>
    let symbolLogP: UnsafeMutablePointer<Float>
    /// (beamWidth): per beam slot, the next p_b and p_nb, and their ⊕ (kept up to date through merges).
    let nextBlank: UnsafeMutablePointer<Float>
    let nextNonBlank: UnsafeMutablePointer<Float>
    let carried: UnsafeMutablePointer<Float>
    /// (beamWidth, V): the beam slot of prefix + label for the hypothesis in each slot, valid where
    /// `childStamp` holds the frame's stamp.
    let childSlot: UnsafeMutablePointer<Int32>
    let childStamp: UnsafeMutablePointer<Int32>
    /// (beamWidth · topK): the candidates' parent slot, label, node (or −1), p_nb; when scoring, their state,
    /// prefix score, and 1 where the state is not computed yet.
    let candidateSlot: UnsafeMutablePointer<Int32>
    let candidateLabel: UnsafeMutablePointer<Int32>
    let candidateNode: UnsafeMutablePointer<Int32>
    let candidateNonBlank: UnsafeMutablePointer<Float>
    let candidateState: UnsafeMutablePointer<PrefixState>
    let candidateScore: UnsafeMutablePointer<Float>
    let candidateLazy: UnsafeMutablePointer<UInt8>
    /// (beamWidth · (topK + 1)): the hypotheses' then the candidates' scores, and the selection keys.
    let scores: UnsafeMutablePointer<Float>
    let keys: UnsafeMutablePointer<UInt64>
    /// (2 · beamWidth): the nodes to time at the end of the frame.
    let timed: UnsafeMutablePointer<Int32>

    init(_ ws: BeamSearchDecoder.Workspace) {
        row = ws.row.base
        symbols = ws.symbols.base
        symbolLogP = ws.symbolLogP.base
        nextBlank = ws.nextBlank.base
        nextNonBlank = ws.nextNonBlank.base
        carried = ws.carried.base
        childSlot = ws.childSlot.base
        childStamp = ws.childStamp.base
        candidateSlot = ws.candidateSlot.base
        candidateLabel = ws.candidateLabel.base
        candidateNode = ws.candidateNode.base
        candidateNonBlank = ws.candidateNonBlank.base
        candidateState = ws.candidateState.base
        candidateScore = ws.candidateScore.base
        candidateLazy = ws.candidateLazy.base
        scores = ws.scores.base
        keys = ws.keys.base
        timed = ws.timed.base
    }
}

/// The prefix arena and the (parent, label) → child hash, as pointers: valid until the next `reserveNodes`
/// (which may move them, once per frame at most). Every column is (nodes), see `Workspace`.
private struct NodeArena {
    let parent: UnsafeMutablePointer<Int32>
    let label: UnsafeMutablePointer<Int32>
    let frame: UnsafeMutablePointer<Int32>
    let parentFrame: UnsafeMutablePointer<Int32>
    let hasTimedChild: UnsafeMutablePointer<UInt8>
    let beamStamp: UnsafeMutablePointer<Int32>
    let beamSlot: UnsafeMutablePointer<Int32>
    let state: UnsafeMutablePointer<PrefixState>
    /// (hashCapacity): the hash's keys (0 = empty) and child nodes; `hashMask` = hashCapacity − 1.
    let hashKeys: UnsafeMutablePointer<UInt64>
    let hashValues: UnsafeMutablePointer<Int32>
    let hashMask: Int

    init(_ ws: BeamSearchDecoder.Workspace) {
        parent = ws.parent.base
        label = ws.label.base
        frame = ws.frame.base
        parentFrame = ws.parentFrame.base
        hasTimedChild = ws.hasTimedChild.base
        beamStamp = ws.beamStamp.base
        beamSlot = ws.beamSlot.base
        state = ws.state.base
        hashKeys = ws.hashKeys.base
        hashValues = ws.hashValues.base
        hashMask = ws.hashCapacity - 1
    }

    /// The node of the prefix whose hash key is `key` (`Workspace.key(parent:label:)`), −1 if there is none
    /// yet, and the hash slot where its entry is (or would go: the first empty slot of its probe sequence).
    @inline(__always)
    func findChild(_ key: UInt64) -> (node: Int32, slot: Int) {
        var h = BeamSearchDecoder.Workspace.slot(key, mask: hashMask)
        while true {
            let stored = hashKeys[h]
            if stored == key { return (hashValues[h], h) }
            if stored == 0 { return (-1, h) }
            h = (h + 1) & hashMask
        }
    }
}

/// One beam, as pointers to its columns (beamWidth each): node, p_b = ln P(prefix, ends in blank), and
/// p_nb = ln P(prefix, ends in its last label).
private struct Beam {
    let node: UnsafeMutablePointer<Int32>
    let blank: UnsafeMutablePointer<Float>
    let nonBlank: UnsafeMutablePointer<Float>
}

extension BeamSearchDecoder.Workspace {
    /// The current frame's beam (`.0` of the pairs).
    @inline(__always)
    fileprivate var currentBeam: Beam {
        Beam(node: beamNode.0.base, blank: beamBlank.0.base, nonBlank: beamNonBlank.0.base)
    }

    /// The next frame's beam (`.1` of the pairs), written by step 6.
    @inline(__always)
    fileprivate var nextBeam: Beam {
        Beam(node: beamNode.1.base, blank: beamBlank.1.base, nonBlank: beamNonBlank.1.base)
    }

    /// Makes the next beam the current one (and the current one the buffer of the next frame).
    @inline(__always)
    fileprivate func swapBeams() {
        beamNode = (beamNode.1, beamNode.0)
        beamBlank = (beamBlank.1, beamBlank.0)
        beamNonBlank = (beamNonBlank.1, beamNonBlank.0)
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
        recordChild(child, key: key, at: h)
    }

    /// Records `child` as the node of hash key `key` (`key(parent:label:)`) in hash slot `h`, which must be the
    /// first empty slot of the key's probe sequence.
    @inline(__always)
    func recordChild(_ child: Int32, key: UInt64, at h: Int) {
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
