import Foundation

/// The naive twin of the beam search: the same recursion and pruning written the obvious way, with prefixes as
/// label arrays in dictionaries (copied on every extension). Slow, and kept for the tests, which check that the
/// fast search returns the same hypotheses, scores and alignments.
extension BeamSearchDecoder {
    func decodeReference(_ logProbabilities: [Float], frameCount: Int, vocabularySize: Int) -> DecodingResult {
        precondition(logProbabilities.count == frameCount * vocabularySize && vocabularySize == alphabet.outputCount)
        struct Hypothesis {
            var prefix: [Int]
            var blank: Float
            var nonBlank: Float
        }
        var beam = [Hypothesis(prefix: [], blank: 0, nonBlank: -.infinity)]
        var states: [[Int]: PrefixState] = [[]: initialState]
        var frameOf: [[Int]: Int] = [:]  // prefix → the frame of its last label
        var parentFrameOf: [[Int]: Int] = [:]  // prefix → its parent's frame when it was last timed
        var hasTimedChild: Set<[Int]> = []
        func state(_ prefix: [Int]) -> PrefixState {
            if let s = states[prefix] { return s }
            let s = advance(state(Array(prefix.dropLast())), by: prefix.last!)
            states[prefix] = s
            return s
        }
        let scoring = hasLanguageModel || hasHotwords
        let cut = options.beamThreshold + (hasHotwords ? hotwords.maxHeldBonus : 0)
        let skip: Float = options.blankSkipThreshold > 1 ? .infinity : log(options.blankSkipThreshold)

        for t in 0..<frameCount {
            let row = (0..<vocabularySize).map { v -> Float in
                let x = logProbabilities[t * vocabularySize + v]
                return x.isNaN ? -.infinity : x
            }
            if row[0] >= skip {
                for i in beam.indices {
                    let repeated = beam[i].prefix.last.map { beam[i].nonBlank + row[$0] } ?? -.infinity
                    beam[i].blank = logAdd(beam[i].blank, beam[i].nonBlank) + row[0]
                    beam[i].nonBlank = repeated
                }
                continue
            }
            let best = row[1...].max() ?? -.infinity
            let floor: Float = best - options.pruneThreshold
            var kept: [Int] = []
            for v in 1..<vocabularySize where row[v] >= floor && row[v] > -.infinity { kept.append(v) }
            kept.sort { (a: Int, b: Int) -> Bool in row[a] != row[b] ? row[a] > row[b] : a < b }
            let symbols = kept.prefix(options.topK)
            var next: [[Int]: Hypothesis] = [:]
            var order: [[Int]] = []
            func add(_ prefix: [Int], blank: Float, nonBlank: Float) {
                if next[prefix] == nil {
                    next[prefix] = Hypothesis(prefix: prefix, blank: -.infinity, nonBlank: -.infinity)
                    order.append(prefix)
                }
                next[prefix]!.blank = logAdd(next[prefix]!.blank, blank)
                next[prefix]!.nonBlank = logAdd(next[prefix]!.nonBlank, nonBlank)
            }
            for h in beam {
                let total = logAdd(h.blank, h.nonBlank)
                add(h.prefix, blank: total + row[0], nonBlank: h.prefix.last.map { h.nonBlank + row[$0] } ?? -.infinity)
            }
            let inBeam = Set(beam.map(\.prefix))
            var retimed: Set<[Int]> = []
            for h in beam {
                let total = logAdd(h.blank, h.nonBlank)
                for c in symbols {
                    let value = (c == h.prefix.last ? h.blank : total) + row[c]
                    guard value > -.infinity else { continue }
                    let child = h.prefix + [c]
                    if inBeam.contains(child), let carried = next[child],
                        value > logAdd(carried.blank, carried.nonBlank)
                    {
                        retimed.insert(child)
                    }
                    add(child, blank: -.infinity, nonBlank: value)
                }
            }
            let ranked = order.map { p -> (Hypothesis, Float) in
                let h = next[p]!
                return (h, logAdd(h.blank, h.nonBlank) + (scoring ? state(p).score : 0))
            }
            let top = ranked.map(\.1).max() ?? -.infinity
            if top == -.infinity {
                beam = ranked.prefix(beam.count).map(\.0)
                continue
            }
            beam = ranked.enumerated()
                .filter { $0.element.1 >= top - cut && $0.element.1 > -.infinity }
                .sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
                .prefix(options.beamWidth).map(\.element.0)
            let timed = beam.map(\.prefix).filter {
                (!inBeam.contains($0) || retimed.contains($0)) && !hasTimedChild.contains($0)
            }
            for p in timed { parentFrameOf[p] = frameOf[Array(p.dropLast())] ?? -1 }
            for p in timed {
                frameOf[p] = t
                hasTimedChild.insert(Array(p.dropLast()))
            }
        }

        var hypotheses: [DecodingResult.Hypothesis] = []
        for h in beam {
            let final = scoring ? finish(state(h.prefix)) : initialState
            let path = h.prefix.indices.map { k in
                (
                    label: h.prefix[k],
                    frame: k == h.prefix.count - 1
                        ? frameOf[h.prefix] ?? -1 : parentFrameOf[Array(h.prefix[...(k + 1)])] ?? -1
                )
            }
            let (labels, frames) = transcript(path)
            let acoustic = logAdd(h.blank, h.nonBlank)
            let lm = scoring ? final.lmScore : 0, hot = scoring ? final.hotSettled : 0
            let hypothesis = DecodingResult.Hypothesis(
                text: alphabet.decode(labels), labels: labels, frames: frames, score: acoustic + lm + hot,
                acousticScore: acoustic, languageModelScore: lm, hotwordScore: hot)
            if let j = hypotheses.firstIndex(where: { $0.text == hypothesis.text }) {
                hypotheses[j] = merged(hypotheses[j], hypothesis)
            } else {
                hypotheses.append(hypothesis)
            }
        }
        return DecodingResult(hypotheses: ranked(hypotheses), frameCount: frameCount)
    }
}
