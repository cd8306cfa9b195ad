/// Levenshtein alignment of a reference and a hypothesis sequence (words or characters), with unit costs
/// for substitution, deletion (a reference item missing from the hypothesis) and insertion (a hypothesis
/// item not in the reference).
///
/// When several alignments have the minimal cost, `alignment` picks the one jiwer (through rapidfuzz)
/// picks, so S/D/I counts agree with jiwer and not only their sum: the common prefix and suffix are matched
/// first, then the middle is traced back from its end preferring, at each cell, a deletion, then an
/// insertion, then the diagonal (rapidfuzz's `recover_alignment`). jiwer switches to Hirschberg's
/// algorithm for very long inputs (about 4·10⁶ matrix cells), where its tie-breaking may differ.
public enum EditDistance {
    /// The minimal number of edits (S + D + I) turning `reference` into `hypothesis`: the plain two-row
    /// Wagner–Fischer recurrence, O(n·m) time and O(m) memory. The reference for `alignment`.
    public static func distance<T: Equatable>(_ reference: [T], _ hypothesis: [T]) -> Int {
        guard !reference.isEmpty else { return hypothesis.count }
        guard !hypothesis.isEmpty else { return reference.count }
        var previous = Array(0...hypothesis.count)  // D[i-1][·]
        var current = previous  // D[i][·]
        for i in 1...reference.count {
            current[0] = i
            for j in 1...hypothesis.count {
                let substitution = previous[j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[hypothesis.count]
    }

    /// The hits, substitutions, deletions and insertions of the alignment `alignment` finds.
    public static func counts<T: Equatable>(_ reference: [T], _ hypothesis: [T]) -> EditCounts {
        var counts = EditCounts()
        for operation in alignment(reference, hypothesis) {
            switch operation {
            case .match: counts.hits += 1
            case .substitution: counts.substitutions += 1
            case .deletion: counts.deletions += 1
            case .insertion: counts.insertions += 1
            }
        }
        return counts
    }

    /// A minimal-cost alignment as a list of operations in order, chosen among equal-cost alignments as
    /// jiwer does (see the type's documentation). O(n·m) time and memory for the part between the common
    /// prefix and suffix.
    public static func alignment<T: Equatable>(_ reference: [T], _ hypothesis: [T]) -> [EditOperation] {
        let n = reference.count, m = hypothesis.count
        var prefix = 0
        while prefix < min(n, m), reference[prefix] == hypothesis[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(n, m) - prefix, reference[n - 1 - suffix] == hypothesis[m - 1 - suffix] { suffix += 1 }
        let rows = n - prefix - suffix, columns = m - prefix - suffix  // the middle: reference × hypothesis

        // d[i * (columns + 1) + j]: edits between the first i middle reference items and first j hypothesis ones.
        let width = columns + 1
        var d = [Int32](repeating: 0, count: (rows + 1) * width)  // (rows + 1, columns + 1)
        for j in 0...columns { d[j] = Int32(j) }
        for i in stride(from: 1, through: rows, by: 1) {
            d[i * width] = Int32(i)
            let r = reference[prefix + i - 1]
            for j in stride(from: 1, through: columns, by: 1) {
                let diagonal = d[(i - 1) * width + j - 1] + (r == hypothesis[prefix + j - 1] ? 0 : 1)
                d[i * width + j] = min(diagonal, d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1)
            }
        }

        // Trace back from the end, appending in reverse.
        var reversed: [EditOperation] = []
        reversed.reserveCapacity(rows + columns + suffix)
        for k in 0..<suffix { reversed.append(.match(reference: n - 1 - k, hypothesis: m - 1 - k)) }
        var i = rows, j = columns
        while i > 0, j > 0 {
            if d[i * width + j] - d[(i - 1) * width + j] == 1 {
                i -= 1
                reversed.append(.deletion(reference: prefix + i))
                continue
            }
            j -= 1
            if j > 0, d[i * width + j] - d[(i - 1) * width + j] == -1 {
                reversed.append(.insertion(hypothesis: prefix + j))
                continue
            }
            i -= 1
            let ri = prefix + i, hj = prefix + j
            reversed.append(
                reference[ri] == hypothesis[hj]
                    ? .match(reference: ri, hypothesis: hj)
                    : .substitution(reference: ri, hypothesis: hj))
        }
        while i > 0 {
            i -= 1
            reversed.append(.deletion(reference: prefix + i))
        }
        while j > 0 {
            j -= 1
            reversed.append(.insertion(hypothesis: prefix + j))
        }
        for k in stride(from: prefix - 1, through: 0, by: -1) { reversed.append(.match(reference: k, hypothesis: k)) }
        return reversed.reversed()
    }
}

/// One step of an alignment, with the indices of the items it involves.
public enum EditOperation: Sendable, Equatable, Hashable {
    /// `reference[reference] == hypothesis[hypothesis]`.
    case match(reference: Int, hypothesis: Int)
    /// The reference item was recognised as another.
    case substitution(reference: Int, hypothesis: Int)
    /// The reference item is missing from the hypothesis.
    case deletion(reference: Int)
    /// The hypothesis item is not in the reference.
    case insertion(hypothesis: Int)
}
