import EarshotTraining

/// `ManifestReader.parse` on arbitrary text. Byte 0 picks the format (`formats`, nil: detect it) and the
/// path's extension (`extensions`); the rest, decoded as UTF-8, is the manifest.
///
/// Checks: it returns a manifest or throws `ManifestError`; every entry and malformed line names a line that
/// exists, in increasing order; every audio path is absolute; transcripts are normalised and encoded by the
/// manifest's normaliser.
enum ManifestTarget {
    /// The formats byte 0 picks from, by its value modulo 4; nil lets `ManifestFormat.detect` choose.
    static let formats: [ManifestFormat?] = [nil, .nemoJSONLines, .deepSpeechCSV, .tabSeparated]
    /// The manifest path's extensions (which detection looks at), by byte 0 / 4 modulo 5.
    static let extensions = ["jsonl", "json", "csv", "tsv", "txt"]

    static func run(_ input: [UInt8]) {
        guard let selector = input.first.map(Int.init) else { return }
        let format = formats[selector % formats.count]
        let path = "/corpus/manifest.\(extensions[(selector / formats.count) % extensions.count])"
        let text = String(decoding: input.dropFirst(), as: UTF8.self)
        let manifest: Manifest
        do {
            manifest = try ManifestReader.parse(text, path: path, format: format)
        } catch {
            return
        }
        if let format { require(manifest.format == format, "read as \(manifest.format), asked \(format)") }
        // Lines as the reader counts them: split at "\n" and "\r\n" (one Character), a BOM dropped.
        let lineCount = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.count
        var previous = 0
        for entry in manifest.entries {
            require(entry.line > previous && entry.line <= lineCount, "entry line \(entry.line) of \(lineCount)")
            previous = entry.line
            require(entry.audioPath.hasPrefix("/"), "audio path \(entry.audioPath) is not absolute")
            let normalized = manifest.normalizer.normalize(entry.transcript)
            require(entry.normalizedTranscript == normalized, "transcript normalised differently")
            require(
                entry.labels == (manifest.normalizer.alphabet.encode(normalized) ?? []), "labels do not match")
            if let duration = entry.duration { require(!duration.isNaN, "NaN duration") }
        }
        var previousProblem = 0
        for problem in manifest.malformedLines {
            require(
                problem.line > previousProblem && problem.line <= lineCount,
                "malformed line \(problem.line) of \(lineCount)")
            previousProblem = problem.line
        }
    }
}
