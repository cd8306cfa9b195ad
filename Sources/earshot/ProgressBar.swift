import Foundation

/// A one-line progress bar with rate and ETA on standard error, redrawn in place; shown only when
/// standard error is a terminal (so logs and pipes get no control characters), at most 10 times a second.
/// Not synchronised: callers on several threads serialise their calls (e.g. under a lock).
final class ProgressBar: @unchecked Sendable {
    private let total: Double
    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drew = false

    /// - Parameters:
    ///   - total: the amount of work (e.g. batches or seconds of audio).
    ///   - label: shown before the bar.
    init(total: Double, label: String, enabled: Bool = Terminal.stderrIsTerminal) {
        self.total = max(total, 1e-9)
        self.label = label
        self.enabled = enabled
    }

    /// Redraws the bar at `done` (same unit as `total`) with `detail` (e.g. "loss 1.23 · 4100 frames/s").
    func update(_ done: Double, detail: String = "", force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let fraction = min(max(done / total, 0), 1)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let percent = String(format: "%3.0f%%", fraction * 100)
        let line = "\r\(label) \(bar) \(percent) \(Self.clock(elapsed)) ETA \(Self.clock(eta)) \(detail)\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
        drew = true
    }

    /// Clears the bar's line, so the next message starts on a clean line.
    func finish() {
        guard enabled, drew else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
