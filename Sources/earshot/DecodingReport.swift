import Foundation

/// Which language model decoded a transcript, for JSON output: `language_model` (its path, or null), `alpha` and
/// `beta` (null without a language model).
struct DecodingReport: Encodable {
    var languageModel: String?
    var alpha: Float?
    var beta: Float?

    private enum CodingKeys: String, CodingKey {
        case languageModel = "language_model"
        case alpha, beta
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(languageModel, forKey: .languageModel)  // nil is written as null, not left out
        try container.encode(alpha, forKey: .alpha)
        try container.encode(beta, forKey: .beta)
    }

    /// The same keys for `JSONSerialization` (NSNull for null; weights through their shortest text, so 0.6 is
    /// written 0.6, not 0.6000000238418579).
    var jsonObject: [String: Any] {
        func number(_ value: Float?) -> Any { value.map { Double("\($0)")! } ?? NSNull() }
        return ["language_model": languageModel ?? NSNull(), "alpha": number(alpha), "beta": number(beta)]
    }
}
