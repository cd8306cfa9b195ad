/// Why features could not be computed. The description is one line a user can act on.
public enum FeatureError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An option is out of range: `field` is its path in the options checked (`mel.binCount` in
    /// `FbankOptions`, `stride` in `FrameStacking`), `requirement` what it must be and the value found
    /// ("must be at least 3, got 1").
    case invalidOption(field: String, requirement: String)
    /// The signal holds fewer samples than one frame (with `snipEdges`), so no frame exists.
    case tooShort(samples: Int, minimum: Int, sampleRate: Double)
    /// The input holds a NaN or an infinity at this sample index.
    case nonFiniteSample(index: Int)
    /// The input gives more than `limit` frames (`FeatureCollector.frameLimit`), `frameShiftSeconds` apart.
    case tooLong(limit: Int, frameShiftSeconds: Double)
    /// An `.npy` file could not be read or written; the text says why.
    case npy(String)

    public var description: String {
        switch self {
        case .invalidOption(let field, let requirement): return "invalid feature option: \(field) \(requirement)"
        case .tooShort(let samples, let minimum, let rate):
            let seconds = Double(samples) / rate, needed = Double(minimum) / rate
            return "audio is too short for one frame: \(samples) samples (\(format(seconds)) s), "
                + "a frame needs \(minimum) (\(format(needed)) s)"
        case .nonFiniteSample(let index): return "sample \(index) is NaN or infinite"
        case .tooLong(let limit, let shift):
            return "the input is longer than the limit of \(limit) frames (\(duration(Double(limit) * shift)) at a "
                + "\(whole(shift * 1000)) ms frame shift), whose features are held in memory until it ends"
        case .npy(let text): return text
        }
    }

    /// The same error with `field` one level down from `parent` (`binCount` of `mel` → `mel.binCount`);
    /// other errors unchanged.
    public func inField(_ parent: String) -> FeatureError {
        guard case .invalidOption(let field, let requirement) = self else { return self }
        return .invalidOption(field: parent + "." + field, requirement: requirement)
    }

    /// `seconds` in the largest unit that keeps it at least 1: "0.5 s", "12.5 min", "4 h".
    private func duration(_ seconds: Double) -> String {
        if seconds >= 3600 { return "\(whole(seconds / 3600)) h" }
        if seconds >= 60 { return "\(whole(seconds / 60)) min" }
        return "\(whole(seconds)) s"
    }

    /// `value` as `format` writes it, without a trailing ".0" ("4", "0.5").
    private func whole(_ value: Double) -> String {
        let text = format(value)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    private func format(_ seconds: Double) -> String {
        String(Int((seconds * 1000).rounded())) == "0" && seconds > 0
            ? "<0.001" : String(Double(Int((seconds * 1000).rounded())) / 1000)
    }
}
