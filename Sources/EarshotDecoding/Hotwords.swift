/// Words and phrases the beam search should favour (names, jargon, commands), each with a boost, whether or not
/// the language model knows them.
///
/// Scoring, in the log domain, per hypothesis:
/// - While the current word (or words, for a phrase) is a prefix of a hotword, the hypothesis holds a bonus of
///   `boost` per matched character (spaces inside a phrase count), up to `holdLimit`: the beam keeps a rare
///   spelling alive long enough for the acoustics to decide. The limit matters for long hotwords: a bonus held
///   during a partial match lifts every continuation of the match over the hypotheses that break it (the
///   honest ones, usually), and a large one crowds them out of the beam.
/// - When the match breaks (the next character leaves every hotword), the bonus is given back, except for the
///   longest hotword the match had already completed at a word boundary (`new` of `new york`, if `new` is a
///   hotword too), which is settled.
/// - When a word ends (a space, or the end of the utterance) exactly at the end of a hotword, its whole bonus
///   (`boost` × characters, not limited) is settled: it stays with the hypothesis for good.
///
/// Matches start only at word starts (`cat` does not match inside `concatenate`), and a hotword's characters
/// are always known words to the language model's prefix check (no `unknownWordPenalty` for them); the model
/// still scores a hotword it does not know as `<unk>`, so with a language model the boost must outweigh that.
///
/// Cost: one trie step per extension (O(1), no string matching), as opposed to pyctcdecode's regex over the
/// text of every hypothesis.
public struct Hotwords: Sendable, Equatable {
    /// A phrase (words of the alphabet separated by single spaces) and its boost per character, in nats.
    public struct Entry: Sendable, Equatable, Codable {
        public var phrase: String
        public var boost: Float
        public init(phrase: String, boost: Float) {
            self.phrase = phrase
            self.boost = boost
        }
    }

    /// A hotword that cannot be matched.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// The phrase has no word.
        case empty
        /// The phrase has a character that the alphabet lacks (normalise hotwords as transcripts are).
        case characterOutsideAlphabet(phrase: String, character: Character)
        /// A boost that is negative or not finite (to discourage a word, leave it out of the language model).
        case badBoost(phrase: String, boost: Float)

        public var description: String {
            switch self {
            case .empty: return "empty hotword"
            case .characterOutsideAlphabet(let phrase, let c):
                return "hotword '\(phrase)' has the character '\(c)', which the alphabet lacks"
            case .badBoost(let phrase, let boost):
                return "hotword '\(phrase)' has boost \(boost); boosts are finite and ≥ 0"
            }
        }
    }

    /// The default boost: 1.5 nats per character, so a six-letter hotword gains 9 nats (e^9 ≈ 8 000×): enough to
    /// win over a confusion of a character or two, not over clearly different audio. Larger boosts also hold
    /// larger bonuses during partial matches, which crowd honest hypotheses out of a narrow beam.
    public static let defaultBoost: Float = 1.5

    public let entries: [Entry]
    /// The alphabet the phrases are spelled in (the decoder's must be the same).
    public let alphabet: Alphabet
    /// The phrases, as alphabet labels (the word separator inside phrases); values = index in `entries`.
    let trie: WordTrie
    /// (trie nodes): the bonus of each node, Σ over its characters of the largest boost of the hotwords through
    /// it: what a hotword ending there settles.
    let bonus: [Float]
    /// (trie nodes): the bonus held while a match is at the node, min(bonus, holdLimit).
    let held: [Float]
    /// The most a partial match holds (default `defaultHoldLimit`).
    public let holdLimit: Float
    /// The default hold limit: 5 nats, the bonus of three or four matched characters at the default boost —
    /// enough to carry a rare spelling through a few doubtful frames, not enough to outrank clearly better
    /// hypotheses for the length of a long word.
    public static let defaultHoldLimit: Float = 5
    /// The most settling can add on top of what was held: max(bonus − held).
    let maxSettleGain: Float
    /// The label of the word separator (space), or −1 when the alphabet has none.
    let separator: Int
    /// (trie nodes, alphabet outputs): the trie's child table, dense (hotword tries are small: 100 hotwords of
    /// 8 letters are ~800 nodes, 93 kB), so a step is one load instead of a scan; −1 = no child.
    let transitions: [Int32]
    /// Number of columns of `transitions` (the alphabet's output count).
    let labelCount: Int
    /// (trie nodes): whether a hotword ends at the node.
    let isEnd: [Bool]
    /// The largest boost: no label raises a hypothesis's hotword score by more.
    let maxBoost: Float
    /// The largest bonus a match can hold: how much a hypothesis may be ahead of others only by a bonus it may
    /// still give back.
    let maxHeldBonus: Float

    /// Hotwords with one boost. Runs of blanks are collapsed and the ends trimmed.
    public init(
        _ phrases: [String], boost: Float = Hotwords.defaultBoost, holdLimit: Float = Hotwords.defaultHoldLimit,
        alphabet: Alphabet = .english
    ) throws {
        try self.init(
            entries: phrases.map { Entry(phrase: $0, boost: boost) }, holdLimit: holdLimit, alphabet: alphabet)
    }

    /// Hotwords, each with its own boost.
    public init(entries: [Entry], holdLimit: Float = Hotwords.defaultHoldLimit, alphabet: Alphabet = .english) throws {
        guard holdLimit >= 0 && !holdLimit.isNaN else { throw Error.badBoost(phrase: "(hold limit)", boost: holdLimit) }
        var cleaned: [Entry] = []
        var encoded: [(labels: [Int], value: Int32)] = []
        for entry in entries {
            let words = entry.phrase.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !words.isEmpty else { throw Error.empty }
            guard entry.boost.isFinite && entry.boost >= 0 else {
                throw Error.badBoost(phrase: entry.phrase, boost: entry.boost)
            }
            let phrase = words.joined(separator: " ")
            var labels: [Int] = []
            for c in phrase {
                guard let label = alphabet.index(of: c) else {
                    throw Error.characterOutsideAlphabet(phrase: entry.phrase, character: c)
                }
                labels.append(label)
            }
            encoded.append((labels, Int32(cleaned.count)))
            cleaned.append(Entry(phrase: phrase, boost: entry.boost))
        }
        let trie = WordTrie(words: encoded)
        var largest = [Float](repeating: -.infinity, count: trie.nodeCount)
        for (labels, value) in encoded {
            var node = WordTrie.root
            for label in labels {
                node = trie.child(node, label)
                largest[Int(node)] = max(largest[Int(node)], cleaned[Int(value)].boost)
            }
        }
        var bonus = [Float](repeating: 0, count: trie.nodeCount)
        for (labels, _) in encoded {
            var node = WordTrie.root
            for label in labels {
                let next = trie.child(node, label)
                bonus[Int(next)] = bonus[Int(node)] + largest[Int(next)]
                node = next
            }
        }
        let labelCount = alphabet.outputCount
        var transitions = [Int32](repeating: -1, count: trie.nodeCount * labelCount)
        for node in 0..<trie.nodeCount {
            for label in 0..<labelCount {
                transitions[node * labelCount + label] = trie.child(Int32(node), label)
            }
        }
        self.transitions = transitions
        self.labelCount = labelCount
        self.isEnd = (0..<trie.nodeCount).map { trie.value(at: Int32($0)) >= 0 }
        self.maxBoost = cleaned.map(\.boost).max() ?? 0
        let held = bonus.map { min($0, holdLimit) }
        self.held = held
        self.holdLimit = holdLimit
        self.maxHeldBonus = held.max() ?? 0
        self.maxSettleGain = zip(bonus, held).map { $0 - $1 }.max() ?? 0
        self.entries = cleaned
        self.alphabet = alphabet
        self.trie = trie
        self.bonus = bonus
        self.separator = alphabet.index(of: " ") ?? -1
    }

    /// No hotwords.
    public static let none = try! Hotwords([])

    public var isEmpty: Bool { entries.isEmpty }

    /// The child of trie node `node` (≥ 0) along `label`, or −1.
    @inline(__always)
    func step(_ node: Int32, _ label: Int) -> Int32 {
        transitions[Int(node) * labelCount + label]
    }
}
