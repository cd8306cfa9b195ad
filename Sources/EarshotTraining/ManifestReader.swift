import EarshotDecoding
import EarshotIO
import Foundation

/// Reads manifests in the three formats of `ManifestFormat` into `Manifest`s: parses each line, resolves
/// audio paths against the manifest's folder and normalises transcripts. It checks only the form of each
/// line; `ManifestValidation` checks the audio and the transcripts' characters.
public enum ManifestReader {
    /// Reads the manifest at `path` in `format`, or in the format `ManifestFormat.detect` finds.
    ///
    /// Lines that cannot be parsed become `Manifest.malformedLines`; they do not stop the reading.
    /// Throws `.unreadable` (missing file, a directory, not UTF-8), `.unrecognizedFormat`, or `.empty` when
    /// no line holds an entry.
    public static func read(path: String, format: ManifestFormat? = nil, normalizer: TextNormalizer = TextNormalizer())
        throws(ManifestError) -> Manifest
    {
        try parse(contents(of: path), path: path, format: format, normalizer: normalizer)
    }

    /// Parses manifest `text` as if read from `path` (which gives the folder relative audio paths start
    /// from, the name used in messages, and the extension for format detection).
    public static func parse(
        _ text: String, path: String, format: ManifestFormat? = nil, normalizer: TextNormalizer = TextNormalizer()
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
        var problems: [ManifestProblem] = []
        for line in parsed {
            switch line {
            case .entry(let number, let written, let transcript, let duration):
                let normalized = normalizer.normalize(transcript)
                entries.append(
                    ManifestEntry(
                        audioPath: resolve(written, in: folder), writtenPath: written, transcript: transcript,
                        normalizedTranscript: normalized, labels: normalizer.alphabet.encode(normalized) ?? [],
                        duration: duration, line: number))
            case .malformed(let number, let written, let cause):
                problems.append(
                    ManifestProblem(manifest: path, line: number, audioPath: written, kind: .malformed(cause)))
            }
        }
        if entries.isEmpty && problems.isEmpty { throw .empty(path: path) }
        return Manifest(path: path, format: format, entries: entries, malformedLines: problems, normalizer: normalizer)
    }

    /// One line as a format parser sees it: an entry's fields, or why it is not one.
    enum ParsedLine: Equatable {
        case entry(line: Int, path: String, transcript: String, duration: Double?)
        case malformed(line: Int, path: String?, cause: String)
    }

    /// The text of the file at `path`, which may also be a pipe (`<(cat test.tsv)`, a named pipe).
    static func contents(of path: String) throws(ManifestError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(path: path, cause: "no such file")
        }
        if isDirectory.boolValue { throw .unreadable(path: path, cause: "is a directory, not a manifest file") }
        let data: Data
        do {
            data = try FileContents.read(path: path)
        } catch {
            throw .unreadable(path: path, cause: "cannot be read: \(error.message)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .unreadable(path: path, cause: "is not UTF-8 text")
        }
        return text
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
