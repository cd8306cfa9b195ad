import ArgumentParser
import Earshot
import EarshotFeatures
import EarshotNN
import EarshotTraining

/// The library's validation run for the command line: the rules stay in the library, and an error naming
/// a field (`batchSize`, `mel.binCount`) becomes a usage error naming the flag that sets it
/// (`--batch-size must be at least 1, got 0`).
struct FlagNames {
    /// The flag that sets each field, by the field's path as the library names it.
    let flagOfField: [String: String]

    init(_ flagOfField: [String: String]) {
        self.flagOfField = flagOfField
    }

    /// Runs `validate`, rethrowing what it throws as a `ValidationError` (exit status 64).
    func usageErrors(_ validate: () throws -> Void) throws {
        do {
            try validate()
        } catch {
            throw ValidationError(message(for: error))
        }
    }

    /// The error's text with its field shown as its flag (the field itself when no flag sets it).
    func message(for error: any Error) -> String {
        guard let (field, requirement) = Self.fieldAndRequirement(of: error) else { return "\(error)" }
        return "\(flagOfField[field] ?? field) \(requirement)"
    }

    /// The field and requirement of the library's validation errors; nil for any other error.
    private static func fieldAndRequirement(of error: any Error) -> (String, String)? {
        switch error {
        case let error as AcousticModelConfigError: return (error.field, error.requirement)
        case let error as TrainingOptionsError: return (error.field, error.requirement)
        case let error as LatencyControlError: return (error.field, error.requirement)
        case FeatureError.invalidOption(let field, let requirement): return (field, requirement)
        default: return nil
        }
    }
}
