/// Plain manifests: `path<TAB>transcript` lines.
extension ManifestReader {
    /// Each line as an entry, or the reason it is not one; blank lines, `#` comments and a first
    /// `path<TAB>transcript` header are skipped. A line needs exactly two tab-separated columns and a
    /// non-empty path (the transcript may be empty: validation reports it).
    static func parseTabSeparated(_ text: String) -> [ParsedLine] {
        var result: [ParsedLine] = []
        var seenContent = false
        for (number, line) in numberedLines(text) {
            let content = trimmed(line)
            if content.isEmpty || content.hasPrefix("#") { continue }
            defer { seenContent = true }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            if !seenContent, columns.count == 2, trimmed(columns[0]).lowercased() == "path",
                trimmed(columns[1]).lowercased() == "transcript"
            {
                continue
            }
            guard columns.count == 2 else {
                result.append(
                    .malformed(
                        line: number, path: columns.count > 1 ? String(columns[0]) : nil,
                        cause: "expected 2 tab-separated columns (path, transcript), found \(columns.count)"))
                continue
            }
            guard !columns[0].isEmpty else {
                result.append(.malformed(line: number, path: nil, cause: "empty audio path"))
                continue
            }
            result.append(.entry(line: number, path: String(columns[0]), transcript: String(columns[1]), duration: nil))
        }
        return result
    }
}
