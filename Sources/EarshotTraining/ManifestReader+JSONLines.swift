import Foundation

/// NeMo manifests: one JSON object per line.
extension ManifestReader {
    /// The fields Earshot uses; any others (`offset`, `lang`…) are ignored.
    private struct NeMoLine: Decodable {
        var audio_filepath: String?
        var text: String?
        var duration: Double?
    }

    /// Each non-blank line as an entry, or the reason it is not one: not JSON, not an object, a missing or
    /// mistyped field, a negative duration.
    static func parseJSONLines(_ text: String) -> [ParsedLine] {
        let decoder = JSONDecoder()
        var result: [ParsedLine] = []
        for (number, line) in numberedLines(text) where !trimmed(line).isEmpty {
            let fields: NeMoLine
            do {
                fields = try decoder.decode(NeMoLine.self, from: Data(line.utf8))
            } catch {
                result.append(.malformed(line: number, path: nil, cause: Self.describe(error)))
                continue
            }
            guard let path = fields.audio_filepath, !path.isEmpty else {
                result.append(.malformed(line: number, path: nil, cause: "missing field \"audio_filepath\""))
                continue
            }
            guard let transcript = fields.text else {
                result.append(.malformed(line: number, path: path, cause: "missing field \"text\""))
                continue
            }
            if let duration = fields.duration, !(duration >= 0) {
                result.append(.malformed(line: number, path: path, cause: "\"duration\" is negative (\(duration))"))
                continue
            }
            result.append(.entry(line: number, path: path, transcript: transcript, duration: fields.duration))
        }
        return result
    }

    /// A decoding error in the words of a manifest line.
    private static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        switch error {
        case .typeMismatch(let type, let context):
            guard let field = context.codingPath.first?.stringValue else { return "not a JSON object" }
            return "field \"\(field)\" is not a \(type == Double.self ? "number" : "string")"
        case .keyNotFound(let key, _):
            return "missing field \"\(key.stringValue)\""
        case .valueNotFound(_, let context):
            return "missing field \"\(context.codingPath.first?.stringValue ?? "?")\""
        case .dataCorrupted:
            return "not valid JSON"
        @unknown default:
            return "not valid JSON"
        }
    }
}
