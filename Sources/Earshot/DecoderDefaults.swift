import EarshotDecoding
import EarshotIO
import Foundation

/// The decoder settings shipped beside an acoustic model, as DeepSpeech ships a scorer and Vosk a model
/// folder: a model file `X.safetensors` may have a sidecar `X.lm.json`,
///
///     {"arpa": "X.arpa", "alpha": 0.6, "beta": 1.2, "note": "how alpha and beta were tuned"}
///
/// naming a word n-gram language model (ARPA, path relative to the JSON's folder, or absolute) and the
/// beam-search weights tuned for this model with it: `alpha` (`BeamSearchOptions.languageModelWeight`) and
/// `beta` (`BeamSearchOptions.wordBonus`). Only `arpa` is required; a missing `alpha` or `beta` keeps the
/// `BeamSearchOptions` default. `note` is free text for people. Any other key is an error, so a misspelt
/// `"aplha"` cannot be silently ignored.
///
/// The weights belong to the language model they were tuned with: a caller who swaps in another language
/// model should not apply them (the CLI's `--lm` goes back to the `BeamSearchOptions` defaults).
///
/// `SpeechRecognizer.load()` uses it when `DecodingOptions.languageModel` is `.modelDefault` (the default),
/// as `earshot transcribe` does when no decoding option is given (`ResolvedDecoding`).
public struct DecoderDefaults: Sendable, Equatable {
    /// The sidecar file this was read from (as the caller named it).
    public var file: String
    /// The `arpa` entry exactly as written in the file.
    public var arpa: String
    /// α, weight of the language model's ln P; nil: not given.
    public var alpha: Float?
    /// β, bonus per word (nats); nil: not given.
    public var beta: Float?
    /// How the values were obtained, for people.
    public var note: String?

    /// The keys a sidecar may hold.
    static let keys: Set<String> = ["arpa", "alpha", "beta", "note"]

    /// `X.lm.json` for the model file `X.safetensors` (any other name: the name with `.lm.json` appended).
    public static func sidecarPath(forModelAt modelPath: String) -> String {
        let suffix = ".safetensors"
        let stem = modelPath.hasSuffix(suffix) ? String(modelPath.dropLast(suffix.count)) : modelPath
        return stem + ".lm.json"
    }

    /// The sidecar of the model at `modelPath`, or nil when it has none. A sidecar that exists but cannot be
    /// read or is malformed is an error (`DecoderDefaultsError`), never silently skipped.
    public static func find(forModelAt modelPath: String) throws -> DecoderDefaults? {
        let path = sidecarPath(forModelAt: modelPath)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try DecoderDefaults(contentsOfFile: path)
    }

    /// Reads and checks a sidecar file (it does not open the ARPA file: see `loadLanguageModel()`).
    public init(contentsOfFile path: String) throws {
        func fail(_ reason: String) -> DecoderDefaultsError { DecoderDefaultsError(file: path, reason: reason) }
        let data: Data
        do {
            data = try FileContents.read(path: path)
        } catch {
            throw fail("cannot read the file: \(error.message)")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw fail("not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw fail("expected a JSON object") }
        if let unknown = object.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw fail("unknown key '\(unknown)' (expected \(Self.keys.sorted().joined(separator: ", ")))")
        }
        // The values, typed by `JSONDecoder` (which, unlike `JSONSerialization`, tells `true` from `1`).
        struct Entries: Decodable {
            var arpa: String?
            var alpha: Float?
            var beta: Float?
            var note: String?
        }
        let entries: Entries
        do {
            entries = try JSONDecoder().decode(Entries.self, from: data)
        } catch DecodingError.typeMismatch(let type, let context) {
            let key = context.codingPath.first?.stringValue ?? "?"
            throw fail("'\(key)' must be \(type == String.self ? "a string" : "a number")")
        } catch {
            throw fail("cannot decode: \(error)")
        }
        guard let arpa = entries.arpa, !arpa.isEmpty else {
            throw fail("'arpa' must name an ARPA file (a path relative to this file)")
        }
        if let alpha = entries.alpha, !(alpha.isFinite && alpha >= 0) {
            throw fail("'alpha' must be ≥ 0, got \(alpha)")
        }
        if let beta = entries.beta, !beta.isFinite { throw fail("'beta' must be finite, got \(beta)") }
        self.init(file: path, arpa: arpa, alpha: entries.alpha, beta: entries.beta, note: entries.note)
    }

    public init(file: String, arpa: String, alpha: Float? = nil, beta: Float? = nil, note: String? = nil) {
        self.file = file
        self.arpa = arpa
        self.alpha = alpha
        self.beta = beta
        self.note = note
    }

    /// The ARPA file's path: `arpa` as is when absolute, else relative to the sidecar's folder.
    public var languageModelPath: String {
        if arpa.hasPrefix("/") { return arpa }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        return folder.appendingPathComponent(arpa).standardizedFileURL.path
    }

    /// Loads the language model the sidecar names; a missing or malformed ARPA file is a
    /// `DecoderDefaultsError` naming the sidecar, with the `ARPAError` (file, line, cause) as its reason.
    public func loadLanguageModel() throws -> ARPALanguageModel {
        do {
            return try ARPALanguageModel(contentsOfFile: languageModelPath)
        } catch {
            throw DecoderDefaultsError(file: file, reason: "its language model cannot be loaded: \(error)")
        }
    }

    /// Sets α and β of `options` to the sidecar's values where it gives them.
    public func apply(to options: inout BeamSearchOptions) {
        if let alpha { options.languageModelWeight = alpha }
        if let beta { options.wordBonus = beta }
    }
}

/// A model's decoder sidecar (`X.lm.json`) that cannot be used: which file, and why.
public struct DecoderDefaultsError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
