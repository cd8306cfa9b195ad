import Earshot
import Foundation

/// The output formats of `earshot transcribe`.
enum TranscriptFormat: String, CaseIterable {
    /// The text, one line.
    case txt
    /// The whole transcript: segments, words with times and confidences, alternatives.
    case json
    /// SubRip subtitles, one cue per segment.
    case srt
    /// WebVTT subtitles, one cue per segment.
    case vtt
    /// `start<TAB>end<TAB>text` per segment, times in milliseconds (as whisper.cpp writes).
    case tsv

    /// The transcript in this format; JSON adds `decoding`'s fields (which language model was used) beside the
    /// transcript's own.
    func render(_ transcript: Transcript, decoding: DecodingReport? = nil) -> String {
        switch self {
        case .txt:
            return transcript.text + "\n"
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let object = TranscriptJSON(transcript: transcript, decoding: decoding, file: nil)
            return String(decoding: (try? encoder.encode(object)) ?? Data(), as: UTF8.self) + "\n"
        case .srt:
            return transcript.subRip()
        case .vtt:
            return transcript.webVTT()
        case .tsv:
            return "start\tend\ttext\n"
                + transcript.segments.filter { !$0.text.isEmpty }.map {
                    "\(Int(($0.start * 1000).rounded()))\t\(Int(($0.end * 1000).rounded()))\t\($0.text)"
                }.joined(separator: "\n") + "\n"
        }
    }

    /// One line of JSON lines output: the transcript, how it was decoded, and its file.
    static func jsonLine(_ transcript: Transcript, decoding: DecodingReport?, file: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = TranscriptJSON(transcript: transcript, decoding: decoding, file: file)
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }
}

/// A transcript's JSON object with the decoding report's keys (and a file name) beside its own.
private struct TranscriptJSON: Encodable {
    var transcript: Transcript
    var decoding: DecodingReport?
    var file: String?

    private enum CodingKeys: String, CodingKey { case file }

    func encode(to encoder: Encoder) throws {
        // Each part asks the same encoder for a keyed container: JSONEncoder merges them into one object.
        try transcript.encode(to: encoder)
        try decoding?.encode(to: encoder)
        if let file {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
        }
    }
}
