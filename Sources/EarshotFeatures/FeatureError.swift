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
        case .npy(let text): return text
        }
    }

    /// The same error with `field` one level down from `parent` (`binCount` of `mel` → `mel.binCount`);
    /// other errors unchanged.
    public func inField(_ parent: String) -> FeatureError {
        guard case .invalidOption(let field, let requirement) = self else { return self }
        return .invalidOption(field: parent + "." + field, requirement: requirement)
    }

    private func format(_ seconds: Double) -> String {
        String(Int((seconds * 1000).rounded())) == "0" && seconds > 0
            ? "<0.001" : String(Double(Int((seconds * 1000).rounded())) / 1000)
    }
}
