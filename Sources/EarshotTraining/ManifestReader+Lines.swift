import EarshotDecoding

/// The text of a manifest with every line longer than `ManifestReader.maximumLineLength` left blank (blank
/// lines hold no entry in any format, and the other lines keep their numbers) and reported as a problem.
extension ManifestReader {
    /// The manifest file at `path` read line by line (`TextLineReader`), a line over the limit never held.
    /// - Throws: `.unreadable` (no such file, a directory, a failed read), `.notText` (a line not UTF-8).
    static func boundedText(ofFileAt path: String) throws(ManifestError) -> (text: String, tooLong: [ManifestProblem]) {
        var lines: [String] = []
        var tooLong: [ManifestProblem] = []
        do {
            let reader = try TextLineReader(path: path, maximumLineLength: maximumLineLength)
            while let line = try reader.next() {
                if case .tooLong(let byteCount, let limit) = line.content {
                    tooLong.append(problem(path, line.number, byteCount: byteCount, limit: limit))
                    lines.append("")
                } else {
                    lines.append(try line.text())
                }
            }
        } catch {
            throw manifestError(error)
        }
        return (lines.joined(separator: "\n"), tooLong)
    }

    /// `text` with its lines over the limit left blank, and their problems.
    static func boundedText(_ text: String, path: String) -> (text: String, tooLong: [ManifestProblem]) {
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.contains(where: { $0.count > maximumLineLength }) else { return (text, []) }
        var tooLong: [ManifestProblem] = []
        let kept = lines.enumerated().map { index, line -> Substring in
            guard line.count > maximumLineLength else { return Substring(line) }
            tooLong.append(problem(path, index + 1, byteCount: line.count, limit: maximumLineLength))
            return ""
        }
        return (kept.joined(separator: "\n"), tooLong)
    }

    private static func problem(_ path: String, _ line: Int, byteCount: Int, limit: Int) -> ManifestProblem {
        ManifestProblem(
            manifest: path, line: line, audioPath: nil, kind: .lineTooLong(byteCount: byteCount, limit: limit))
    }

    /// The manifest error for a file that cannot be read as text.
    private static func manifestError(_ error: TextFileError) -> ManifestError {
        switch error.reason {
        case .notFound: return .unreadable(path: error.path, cause: "no such file")
        case .isDirectory: return .unreadable(path: error.path, cause: "is a directory, not a manifest file")
        case .unreadable(let message): return .unreadable(path: error.path, cause: "cannot be read (\(message))")
        case .notUTF8, .lineTooLong: return .notText(error)
        }
    }
}
