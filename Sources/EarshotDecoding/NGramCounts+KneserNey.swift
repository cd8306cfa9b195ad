import EarshotIO
import Foundation

/// Interpolated **modified** Kneser–Ney estimation (Chen & Goodman 1998, §3.3; the method of KenLM's `lmplz`)
/// and the ARPA file of the result.
///
/// 1. Adjusted counts a(g): the raw count for the highest order and for n-grams that start with `<s>` (nothing
///    precedes them); otherwise the continuation count N1+(• g), the number of distinct words seen before g.
/// 2. Three discounts per order from its counts-of-counts t_k (how many n-grams have adjusted count k):
///    Y = t1 / (t1 + 2 t2), D1 = 1 − 2Y t2/t1, D2 = 2 − 3Y t3/t2, D3+ = 3 − 4Y t4/t3. When one is undefined or
///    outside [0, k] (tiny corpora, where some t_k is 0), the order falls back to D = (0.5, 1, 1.5), as
///    `lmplz --discount_fallback` does; `kneserNeyDiscounts()` says which.
/// 3. Interpolation, for a history h (h′ = h without its first word) and a word w:
///
///        P(w | h) = (a(h w) − D(a(h w))) / Σx a(h x)  +  γ(h) · P(w | h′),
///        γ(h)     = (D1 N1(h •) + D2 N2(h •) + D3+ N3+(h •)) / Σx a(h x)
///
///    with N_k(h •) the number of words whose a(h w) is k (3+ for the last), down to the unigrams, which
///    interpolate with the uniform distribution over the vocabulary V′ = every word, `</s>` and `<unk>` (not
///    `<s>`, which is never predicted; `<unk>` is never seen, so it gets γ(ε)/|V′|).
/// 4. The ARPA file lists P(w | h) for every counted n-gram and back-off b(h) = γ(h) for every history. For
///    an interpolated model this back-off is exact: a word unseen after h gets γ(h) · P(w | h′), which is
///    what the interpolation gives it, so Σ_w P(w | h) = 1 for every h (up to the 7–8 digits written).
extension NGramCounts {
    /// The three discounts of one order.
    public struct KneserNeyDiscounts: Sendable, Equatable, Codable {
        public var d1: Double, d2: Double, d3Plus: Double
        /// True when the counts-of-counts gave no valid discounts and (0.5, 1, 1.5) is used instead.
        public var isFallback: Bool
        public static let fallback = KneserNeyDiscounts(d1: 0.5, d2: 1, d3Plus: 1.5, isFallback: true)

        public init(d1: Double, d2: Double, d3Plus: Double, isFallback: Bool = false) {
            self.d1 = d1
            self.d2 = d2
            self.d3Plus = d3Plus
            self.isFallback = isFallback
        }

        /// The discount of an n-gram with adjusted count `count` ≥ 1.
        public func discount(_ count: Int) -> Double { count == 1 ? d1 : count == 2 ? d2 : d3Plus }
    }

    /// Adjusted counts (step 1), index 0 = unigrams.
    func adjustedCounts() -> [[[Int32]: Int]] {
        var adjusted = counts
        for n in stride(from: order - 1, through: 1, by: -1) {
            var a: [[Int32]: Int] = [:]
            for (g, c) in counts[n - 1] where g[0] == Self.startID { a[g] = c }
            for g in counts[n].keys { a[Array(g.dropFirst()), default: 0] += 1 }
            adjusted[n - 1] = a
        }
        return adjusted
    }

    /// The discounts of each order (step 2), index 0 = unigrams.
    public func kneserNeyDiscounts() -> [KneserNeyDiscounts] {
        adjustedCounts().enumerated().map { index, a in
            var t = [0.0, 0.0, 0.0, 0.0]
            for (g, count) in a where count <= 4 && !(index == 0 && g == [Self.startID]) { t[count - 1] += 1 }
            let y = t[0] / (t[0] + 2 * t[1])
            let d = [1 - 2 * y * t[1] / t[0], 2 - 3 * y * t[2] / t[1], 3 - 4 * y * t[3] / t[2]]
            for (k, value) in d.enumerated() where !(value.isFinite && value >= 0 && value <= Double(k + 1)) {
                return .fallback
            }
            return KneserNeyDiscounts(d1: d[0], d2: d[1], d3Plus: d[2])
        }
    }

    /// The estimated model: for each order, every n-gram with its probability P(w | h) and, for the n-grams
    /// that are histories of the next order, its back-off γ (both as plain probabilities, not logs).
    func kneserNeyModel() -> [(ngrams: [[Int32]: Double], backoffs: [[Int32]: Double])] {
        let adjusted = adjustedCounts()
        let discounts = kneserNeyDiscounts()
        var model: [(ngrams: [[Int32]: Double], backoffs: [[Int32]: Double])] = []

        // Unigrams, interpolated with the uniform distribution over V′.
        var unigrams = adjusted[0].filter { $0.key != [Self.startID] }
        if unigrams[[Self.unknownID]] == nil { unigrams[[Self.unknownID]] = 0 }
        if unigrams[[Self.endID]] == nil { unigrams[[Self.endID]] = 0 }  // only an empty corpus lacks it
        let total = Double(unigrams.values.reduce(0, +))
        let d = discounts[0]
        var mass = 0.0
        for count in unigrams.values where count > 0 { mass += d.discount(count) }
        let gammaEmpty = total > 0 ? mass / total : 1
        let uniform = 1 / Double(unigrams.count)
        var p1: [[Int32]: Double] = [:]
        for (g, count) in unigrams {
            let discounted = count > 0 ? (Double(count) - d.discount(count)) / total : 0
            p1[g] = discounted + gammaEmpty * uniform
        }
        model.append((p1, [:]))

        for n in 2...max(2, order) where n <= order {
            let d = discounts[n - 1]
            var totals: [[Int32]: (sum: Double, mass: Double)] = [:]
            for (g, count) in adjusted[n - 1] {
                let h = Array(g.dropLast())
                let old = totals[h] ?? (0, 0)
                totals[h] = (old.sum + Double(count), old.mass + d.discount(count))
            }
            var gammas: [[Int32]: Double] = [:]
            for (h, t) in totals { gammas[h] = t.mass / t.sum }
            var pn: [[Int32]: Double] = [:]
            for (g, count) in adjusted[n - 1] {
                let h = Array(g.dropLast())
                let lower = model[n - 2].ngrams[Array(g.dropFirst())]!
                pn[g] = (Double(count) - d.discount(count)) / totals[h]!.sum + gammas[h]! * lower
            }
            model[n - 2].backoffs = gammas
            model.append((pn, [:]))
        }
        return model
    }

    /// The model as ARPA text (the `\data\` counts, one section per order in word-id order, `\end\`). `<s>` has
    /// log10 p = −99, the ARPA convention for "never predicted".
    public func arpaText() -> String {
        let model = kneserNeyModel()
        var out = "\\data\\\n"
        for (n, level) in model.enumerated() {
            out += "ngram \(n + 1)=\(level.ngrams.count + (n == 0 ? 1 : 0))\n"
        }
        for (n, level) in model.enumerated() {
            out += "\n\\\(n + 1)-grams:\n"
            var entries = level.ngrams.map { ($0.key, $0.value) }
            if n == 0 { entries.append(([Self.startID], 0)) }
            entries.sort { $0.0.lexicographicallyPrecedes($1.0) }
            for (g, p) in entries {
                let logP = g == [Self.startID] ? "-99" : Self.log10Text(p)
                out += logP + "\t" + g.map { vocabulary[Int($0)] }.joined(separator: " ")
                if let b = level.backoffs[g] { out += "\t" + Self.log10Text(b) }
                out += "\n"
            }
        }
        out += "\n\\end\\\n"
        return out
    }

    /// log10 of a probability in the shortest text that reads back as the same `Float` (KenLM stores floats);
    /// −99 for 0.
    static func log10Text(_ p: Double) -> String {
        p > 0 ? Float(Foundation.log10(p)).description : "-99"
    }

    /// Writes `arpaText()` to `path` with `AtomicFile` (a temporary file renamed over `path`; a device or a
    /// named pipe is written through). Throws `AtomicFileError`.
    public func writeARPA(toFile path: String) throws {
        try AtomicFile.write(Data(arpaText().utf8), to: path)
    }

    /// The estimated model, read back through the ARPA parser (exactly what a file written now would load as).
    public func kneserNeyLanguageModel() throws -> ARPALanguageModel {
        try ARPALanguageModel(parsing: arpaText(), name: "<NGramCounts>")
    }
}
