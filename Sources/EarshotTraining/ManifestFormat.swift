/// The manifest layouts people already have.
public enum ManifestFormat: String, Codable, Sendable, CaseIterable {
    /// NeMo: one JSON object per line, `{"audio_filepath": …, "duration": …, "text": …}`; `duration`
    /// (seconds) is optional. Blank lines are ignored.
    case nemoJSONLines = "jsonl"
    /// DeepSpeech: CSV (RFC 4180 quoting) with the header `wav_filename,wav_filesize,transcript`; columns may
    /// come in any order, `wav_filesize` is not used. Blank lines are ignored.
    case deepSpeechCSV = "csv"
    /// `path<TAB>transcript` per line, with an optional header line `path<TAB>transcript`; blank lines and
    /// lines starting with `#` are ignored.
    case tabSeparated = "tsv"

    /// The format of a manifest: from its content when the first line that is not blank or a `#` comment
    /// tells (`{` → NeMo, a `wav_filename,…` header → DeepSpeech, a tab → tab-separated), else from the
    /// extension of `path` (`.json`/`.jsonl`, `.csv`, `.tsv`/`.txt`); nil when neither tells.
    public static func detect(text: String, path: String) -> ManifestFormat? {
        let first = text.split(whereSeparator: ManifestReader.isLineBreak).lazy
            .map { ManifestReader.trimmed($0) }
            .first { !$0.isEmpty && !$0.hasPrefix("#") }
        if let first {
            if first.hasPrefix("{") { return .nemoJSONLines }
            if first.lowercased().hasPrefix("wav_filename,") || first.lowercased().contains(",wav_filename") {
                return .deepSpeechCSV
            }
            if first.contains("\t") { return .tabSeparated }
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "json", "jsonl": return .nemoJSONLines
        case "csv": return .deepSpeechCSV
        case "tsv", "txt": return .tabSeparated
        default: return nil
        }
    }
}
