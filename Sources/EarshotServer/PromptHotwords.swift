#if Server
    import Earshot

    /// How the `prompt` of a transcription request becomes hotwords (Whisper uses the prompt as preceding text to
    /// steer spelling; an n-gram decoder has no such context, so the prompt's names are favoured instead):
    /// the prompt is read as a list of phrases separated by commas, semicolons or line breaks, as in
    /// "Earshot, Hummingbird, Vosk"; each phrase is normalised as transcripts are (lower case, numbers spelled out,
    /// accents folded, other characters outside the alphabet dropped) and becomes a hotword with the default boost
    /// (`Hotwords.defaultBoost`). A phrase of more than `maximumPhraseWords` words (a sentence) is taken word by
    /// word, keeping words of at least `minimumSentenceWordLetters` letters (the names in it, not "the" or "and").
    enum PromptHotwords {
        /// Longest phrase kept whole, in words.
        static let maximumPhraseWords = 4
        /// Letters a word of a sentence-like phrase needs to become a hotword.
        static let minimumSentenceWordLetters = 4
        /// Longest prompt, in characters (about OpenAI's 224 tokens).
        static let maximumCharacters = 1000
        /// Most hotwords one prompt may make.
        static let maximumHotwords = 100

        enum Error: Swift.Error, CustomStringConvertible {
            case tooLong(Int)
            case tooManyHotwords(Int)

            var description: String {
                switch self {
                case .tooLong(let count):
                    return "the prompt has \(count) characters; at most \(maximumCharacters) are read as hotwords"
                case .tooManyHotwords(let count):
                    return "the prompt makes \(count) hotwords; at most \(maximumHotwords) are allowed"
                }
            }
        }

        /// The hotwords of `prompt`, without repeats, in order.
        static func entries(prompt: String, alphabet: Alphabet) throws(Error) -> [Hotwords.Entry] {
            guard prompt.count <= maximumCharacters else { throw .tooLong(prompt.count) }
            let normalizer = TextNormalizer(alphabet: alphabet)
            var phrases: [String] = []
            for piece in prompt.split(whereSeparator: { ",;\n\r".contains($0) }) {
                let phrase = normalizer.normalize(String(piece))
                let words = phrase.split(separator: " ")
                if words.count <= maximumPhraseWords {
                    phrases.append(phrase)
                } else {
                    phrases += words.filter { $0.count >= minimumSentenceWordLetters }.map(String.init)
                }
            }
            var seen = Set<String>()
            let unique = phrases.filter { !$0.isEmpty && seen.insert($0).inserted }
            guard unique.count <= maximumHotwords else { throw .tooManyHotwords(unique.count) }
            return unique.map { Hotwords.Entry(phrase: $0, boost: Hotwords.defaultBoost) }
        }
    }
#endif
