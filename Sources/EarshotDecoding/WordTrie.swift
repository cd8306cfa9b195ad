/// A character trie over alphabet labels: the prefix check of the beam search's language model (is this partial
/// word the start of some vocabulary word?) and the matcher of hotwords.
///
/// Nodes are `Int32` ids; `root` is the empty string and `WordTrie.none` (−1) stands for "no node" (the path left
/// the trie). Children are stored flat, CSR style: node n's children are `childLabels[childStart[n] ..<
/// childStart[n + 1]]` (sorted labels) with their ids in `childNodes`, so a step is a short linear scan (at most
/// the alphabet size, usually a handful) with no hashing and no allocation. Each node can carry a value (the id of
/// the word that ends there, or −1).
public struct WordTrie: Sendable, Equatable {
    /// The empty prefix.
    public static let root: Int32 = 0
    /// No node: the label sequence is not a prefix of any inserted word.
    public static let none: Int32 = -1

    /// (nodes + 1): node n's children are entries `childStart[n] ..< childStart[n + 1]`.
    private var childStart: [Int32]
    /// (edges): the label of each child edge, sorted within a node.
    private var childLabels: [UInt8]
    /// (edges): the node each edge leads to.
    private var childNodes: [Int32]
    /// (nodes): the value of the word ending at each node, or −1.
    private var values: [Int32]
    /// (nodes): the length in labels of each node's prefix.
    private var depths: [Int32]

    /// Builds the trie of `words`, each a sequence of labels in 0…255, with a value each; when a word occurs
    /// twice, the first value is kept. Empty words are ignored.
    public init(words: [(labels: [Int], value: Int32)]) {
        // Build with per-node child lists, then flatten breadth-first so that ids grow with depth.
        var children: [[(label: Int, node: Int)]] = [[]]
        var value: [Int32] = [-1]
        for (labels, v) in words where !labels.isEmpty {
            var node = 0
            for label in labels {
                precondition((0...255).contains(label), "trie labels are 0…255, got \(label)")
                if let next = children[node].first(where: { $0.label == label })?.node {
                    node = next
                } else {
                    children.append([])
                    value.append(-1)
                    children[node].append((label, children.count - 1))
                    node = children.count - 1
                }
            }
            if value[node] < 0 { value[node] = v }
        }
        var order = [0]  // old ids in breadth-first order
        var newID = [Int](repeating: 0, count: children.count)
        var head = 0
        while head < order.count {
            let old = order[head]
            newID[old] = head
            head += 1
            for child in children[old].sorted(by: { $0.label < $1.label }) { order.append(child.node) }
        }
        var start: [Int32] = [0], labels: [UInt8] = [], nodes: [Int32] = [], values: [Int32] = []
        var depths = [Int32](repeating: 0, count: order.count)
        for (id, old) in order.enumerated() {
            for child in children[old].sorted(by: { $0.label < $1.label }) {
                labels.append(UInt8(child.label))
                nodes.append(Int32(newID[child.node]))
                depths[newID[child.node]] = depths[id] + 1
            }
            start.append(Int32(labels.count))
            values.append(value[old])
        }
        self.childStart = start
        self.childLabels = labels
        self.childNodes = nodes
        self.values = values
        self.depths = depths
    }

    /// Builds the trie of words spelled in `alphabet`; words with a character outside it are skipped (a
    /// language model's `<s>`, `<unk>`, or words with digits). The value of each word is its position in
    /// `words`.
    public init(words: [String], alphabet: Alphabet) {
        var entries: [(labels: [Int], value: Int32)] = []
        entries.reserveCapacity(words.count)
        for (i, word) in words.enumerated() {
            if let labels = alphabet.encode(word) { entries.append((labels, Int32(i))) }
        }
        self.init(words: entries)
    }

    /// Number of nodes, the root included.
    public var nodeCount: Int { values.count }

    /// The child of `node` along `label`, or `WordTrie.none`. `node` may be `none` (the result is then `none`).
    @inline(__always)
    public func child(_ node: Int32, _ label: Int) -> Int32 {
        if node < 0 { return WordTrie.none }
        let lower = Int(childStart[Int(node)]), upper = Int(childStart[Int(node) + 1])
        var i = lower
        while i < upper {
            let l = Int(childLabels[i])
            if l == label { return childNodes[i] }
            if l > label { break }
            i += 1
        }
        return WordTrie.none
    }

    /// The value of the word ending at `node`, or −1 when no word ends there (or `node` is `none`).
    public func value(at node: Int32) -> Int32 {
        node < 0 ? -1 : values[Int(node)]
    }

    /// The number of labels from the root to `node` (0 for the root and for `none`).
    public func depth(of node: Int32) -> Int {
        node < 0 ? 0 : Int(depths[Int(node)])
    }

    /// The node reached by following `labels` from the root, or `none`.
    public func node(for labels: some Sequence<Int>) -> Int32 {
        var node = WordTrie.root
        for label in labels {
            node = child(node, label)
            if node < 0 { break }
        }
        return node
    }
}
