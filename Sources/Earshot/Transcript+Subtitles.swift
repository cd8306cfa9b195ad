import Foundation

extension Transcript {
    /// SubRip subtitles (`.srt`): numbered cues, `hh:mm:ss,mmm --> hh:mm:ss,mmm`, one per `subtitleCues` entry.
    public func subRip() -> String {
        subtitleCues.enumerated().map { i, cue in
            let times = "\(Self.clock(cue.start, separator: ",")) --> \(Self.clock(cue.end, separator: ","))"
            return "\(i + 1)\n\(times)\n\(cue.text)\n"
        }.joined(separator: "\n")
    }

    /// WebVTT subtitles (`.vtt`): the `WEBVTT` header, then cues `hh:mm:ss.mmm --> hh:mm:ss.mmm`.
    public func webVTT() -> String {
        "WEBVTT\n\n"
            + subtitleCues.map { cue in
                "\(Self.clock(cue.start, separator: ".")) --> \(Self.clock(cue.end, separator: "."))\n\(cue.text)\n"
            }.joined(separator: "\n")
    }

    /// Subtitle cues: each segment's words, split so that a cue spans at most ~7 s or 42 characters (the usual
    /// limits of a subtitle line); times in seconds from the start of the audio.
    public var subtitleCues: [(start: Double, end: Double, text: String)] {
        var cues: [(Double, Double, String)] = []
        for segment in segments {
            var words: [TranscribedWord] = []
            func flush() {
                guard let first = words.first, let last = words.last else { return }
                cues.append((first.start, last.end, words.map(\.text).joined(separator: " ")))
                words = []
            }
            for word in segment.words {
                let length = words.reduce(0) { $0 + $1.text.count + 1 } + word.text.count
                if let first = words.first, length > 42 || word.end - first.start > 7 { flush() }
                words.append(word)
            }
            flush()
        }
        return cues
    }

    /// `hh:mm:ss,mmm` (SRT, `separator` ",") or `hh:mm:ss.mmm` (VTT, "."), from seconds (negative as 0).
    public static func clock(_ seconds: Double, separator: String) -> String {
        let milliseconds = Int((max(seconds, 0) * 1000).rounded())
        let hoursMinutesSeconds = String(
            format: "%02d:%02d:%02d", milliseconds / 3_600_000, milliseconds / 60_000 % 60, milliseconds / 1000 % 60)
        return hoursMinutesSeconds + separator + String(format: "%03d", milliseconds % 1000)
    }
}
