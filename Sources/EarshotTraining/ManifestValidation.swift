import EarshotAudio
import EarshotDecoding

/// The checks a manifest must pass before training, run over every line so that one report lists every
/// problem (not just the first).
///
/// Per entry (a line can have several problems; each is reported):
/// 1. the line parsed (`Manifest.malformedLines`);
/// 2. with `checkAudio`, the file's header (`AudioFileReader`'s checks): it exists, is not empty, is audio
///    libsndfile reads, at a supported rate, with at least one frame, and a WAV's `data` chunk does not
///    promise more bytes than the file holds. Only the header is read: the samples (NaN or infinite values,
///    a FLAC cut off early) are checked when the trainer decodes each file, once, for its features
///    (`Trainer.prepare`, which reports every such clip the same way);
/// 3. the audio is at least `minimumDuration` long, using the header's length (or the manifest's
///    `duration` when audio is not checked or the header does not say);
/// 4. the normalised transcript holds no letter or digit outside the alphabet (named in the problem,
///    e.g. `transcript contains 'é' (not in the alphabet)`), rather than losing it silently;
/// 5. else, the normalised transcript is not empty.
public enum ManifestValidation {
    /// Clips shorter than this many seconds are rejected by default: 0.1 s is 10 feature frames (about 3
    /// model steps), too short to hold a spoken word; such files are nearly always cut-off recordings.
    public static let defaultMinimumDuration = 0.1

    /// The entries that pass every check, with `normalizedTranscript` and `labels` for `alphabet` (and
    /// `duration` from the file's header when audio is checked), and every problem found, in line order
    /// (malformed lines included). The transcripts are normalised as `manifest.normalizer` does, with `alphabet`.
    public static func validate(
        _ manifest: Manifest, alphabet: Alphabet, checkAudio: Bool,
        minimumDuration: Double = defaultMinimumDuration
    ) -> (valid: [ManifestEntry], problems: [ManifestProblem]) {
        var normalizer = manifest.normalizer
        normalizer.alphabet = alphabet
        var valid: [ManifestEntry] = []
        var problems = manifest.malformedLines
        for entry in manifest.entries {
            var entry = entry
            var kinds: [ManifestProblem.Kind] = []
            var audioFailed = false
            if checkAudio {
                switch audioDuration(entry.audioPath) {
                case .failure(let error):
                    kinds.append(.audio(error))
                    audioFailed = true
                case .success(let seconds):
                    if let seconds { entry.duration = seconds }
                }
            }
            if !audioFailed, let duration = entry.duration, duration < minimumDuration {
                kinds.append(.tooShort(duration: duration, minimum: minimumDuration))
            }
            entry.normalizedTranscript = normalizer.normalize(entry.transcript)
            let unknown = normalizer.charactersOutsideAlphabet(entry.transcript)
            if !unknown.isEmpty {
                kinds.append(.charactersOutsideAlphabet(unknown))
            } else if entry.normalizedTranscript.isEmpty {
                kinds.append(.emptyTranscript)
            }
            if kinds.isEmpty {
                entry.labels = alphabet.encode(entry.normalizedTranscript) ?? []
                valid.append(entry)
            } else {
                problems += kinds.map {
                    ManifestProblem(manifest: manifest.path, line: entry.line, audioPath: entry.writtenPath, kind: $0)
                }
            }
        }
        // In line order; a line's own problems keep their order (audio, length, transcript).
        problems = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element)
        return (valid, problems)
    }

    /// What `earshot train` trains on: every entry when all are valid; with `skipInvalid`, the valid ones
    /// and the problems skipped. Throws `.invalidEntries` listing every problem when there are problems
    /// and `skipInvalid` is false, or when no entry is valid at all.
    public static func usableEntries(
        _ manifest: Manifest, alphabet: Alphabet, checkAudio: Bool, skipInvalid: Bool,
        minimumDuration: Double = defaultMinimumDuration
    ) throws(ManifestError) -> (entries: [ManifestEntry], skipped: [ManifestProblem]) {
        let (valid, problems) = validate(
            manifest, alphabet: alphabet, checkAudio: checkAudio, minimumDuration: minimumDuration)
        if !problems.isEmpty && (!skipInvalid || valid.isEmpty) { throw .invalidEntries(problems) }
        return (valid, problems)
    }

    /// The length in seconds the header of the audio file at `path` gives (nil when it does not say), or
    /// why the file is unusable, as opening it for reading finds (`AudioFileReader.init`).
    static func audioDuration(_ path: String) -> Result<Double?, AudioError> {
        do {
            return .success(try AudioFileReader(path: path).info.duration)
        } catch {
            return .failure(error)
        }
    }
}
