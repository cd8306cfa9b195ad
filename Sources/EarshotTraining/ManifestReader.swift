import EarshotDecoding
import Foundation

/// Reads manifests in the three formats of `ManifestFormat` into `Manifest`s: parses each line, resolves
/// audio paths against the manifest's folder and normalises transcripts. It checks only the form of each
/// line; `ManifestValidation` checks the audio and the transcripts' characters.
///
/// A line longer than `maximumLineLength` bytes is a malformed line (`ManifestProblem.Kind.lineTooLong`),
/// read past without being held in memory.
public enum ManifestReader {
    /// The longest manifest line read, in bytes: 1 MiB. A line is a path and a sentence, a few hundred bytes.
    public static let maximumLineLength = TextLineReader.defaultMaximumLineLength

    /// Reads the manifest at `path` in `format`, or in the format `ManifestFormat.detect` finds.
    ///
    /// Lines that cannot be parsed become `Manifest.malformedLines`; they do not stop the reading.
    /// Throws `.unreadable` (missing file, a directory), `.notText` (a line that is not UTF-8),
    /// `.unrecognizedFormat`, or `.empty` when no line holds an entry.
    public static func read(path: String, format: ManifestFormat? = nil, normalizer: TextNormalizer = TextNormalizer())
        throws(ManifestError) -> Manifest
    {
        let (text, tooLong) = try boundedText(ofFileAt: path)
        return try parse(text, path: path, format: format, normalizer: normalizer, linesTooLong: tooLong)
    }

    /// Parses manifest `text` as if read from `path` (which gives the folder relative audio paths start
    /// from, the name used in messages, and the extension for format detection).
    public static func parse(
        _ text: String, path: String, format: ManifestFormat? = nil, normalizer: TextNormalizer = TextNormalizer()
    ) throws(ManifestError) -> Manifest {
        let (bounded, tooLong) = boundedText(text, path: path)
        return try parse(bounded, path: path, format: format, normalizer: normalizer, linesTooLong: tooLong)
    }

    /// Parses `text` whose lines longer than the limit are already blank, `linesTooLong` their problems.
    static func parse(
        _ text: String, path: String, format: ManifestFormat?, normalizer: TextNormalizer,
        linesTooLong: [ManifestProblem]
    ) throws(ManifestError) -> Manifest {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        guard let format = format ?? ManifestFormat.detect(text: text, path: path) else {
            throw .unrecognizedFormat(
                path: path,
                cause: "not a manifest format Earshot reads: expected NeMo JSON lines, a DeepSpeech CSV "
                    + "(wav_filename,wav_filesize,transcript) or path<TAB>transcript lines")
        }
        let parsed: [ParsedLine]
        switch format {
        case .nemoJSONLines: parsed = parseJSONLines(text)
        case .deepSpeechCSV: parsed = try parseCSV(text, path: path)
        case .tabSeparated: parsed = parseTabSeparated(text)
        }

        let folder = folder(of: path)
        var entries: [ManifestEntry] = []
        var problems = linesTooLong
        for line in parsed {
            switch line {
            case .entry(let number, let written, let transcript, let duration):
                let normalized = normalizer.normalize(transcript)
                entries.append(
                    ManifestEntry(
                        audioPath: resolve(written, in: folder), writtenPath: written, transcript: transcript,
                        normalizedTranscript: normalized, labels: normalizer.alphabet.encode(normalized) ?? [],
                        duration: duration, manifest: path, line: number))
            case .malformed(let number, let written, let cause):
                problems.append(
                    ManifestProblem(manifest: path, line: number, audioPath: written, kind: .malformed(cause)))
            }
        }
        if entries.isEmpty && problems.isEmpty { throw .empty(path: path) }
        problems = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element)
        return Manifest(path: path, format: format, entries: entries, malformedLines: problems, normalizer: normalizer)
    }

    /// One line as a format parser sees it: an entry's fields, or why it is not one.
    enum ParsedLine: Equatable {
        case entry(line: Int, path: String, transcript: String, duration: Double?)
        case malformed(line: Int, path: String?, cause: String)
    }

    /// The lines of `text` with their 1-based numbers, split at `\n` and `\r\n` (one `Character` in Swift).
    static func numberedLines(_ text: String) -> [(number: Int, text: Substring)] {
        text.split(omittingEmptySubsequences: false, whereSeparator: isLineBreak).enumerated().map { ($0 + 1, $1) }
    }

    static func isLineBreak(_ c: Character) -> Bool { c == "\n" || c == "\r\n" }

    /// The absolute folder of the manifest at `path` (relative paths start at the working directory); the
    /// working directory itself for a manifest that is a pipe, which has no folder of its own (process
    /// substitution's `/dev/fd/63` is no place for audio files).
    static func folder(of path: String) -> String {
        if isPipe(path) { return FileManager.default.currentDirectoryPath }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard let slash = absolute.lastIndex(of: "/") else { return "/" }
        return slash == absolute.startIndex ? "/" : String(absolute[..<slash])
    }

    /// True when `path` names a named pipe, or a pipe reached through `/dev/fd` or `/proc`.
    static func isPipe(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO
    }

    /// An audio path as written, made absolute: an absolute path is kept as is, a relative one is joined to
    /// `folder` (without `.` components; `..` is left to the file system, which knows about symlinks).
    static func resolve(_ written: String, in folder: String) -> String {
        if written.hasPrefix("/") { return written }
        let parts = written.split(separator: "/").filter { $0 != "." }
        return (folder == "/" ? "" : folder) + "/" + parts.joined(separator: "/")
    }

    /// `s` without leading and trailing spaces, tabs, carriage returns and newlines.
    static func trimmed<S: StringProtocol>(_ s: S) -> S.SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let start = s.firstIndex(where: { !isSpace($0) }) else { return s[s.endIndex...] }
        let end = s.lastIndex(where: { !isSpace($0) })!
        return s[start...end]
    }
}
