#if canImport(Glibc)
    import Glibc
#endif

/// The parsers the harness fuzzes, by the name `EARSHOT_FUZZ_TARGET` and `Scripts/fuzz.sh` use; each name is
/// also the folder of its seed corpus and dictionary under `Scripts/fuzz/`.
enum FuzzTarget: String, CaseIterable, Sendable {
    case wavHeader = "wav-header"
    case audioStream = "audio-stream"
    case safeTensors = "safetensors"
    case modelConfig = "model-config"
    case arpa = "arpa"
    case manifest = "manifest"
    case lmSidecar = "lm-sidecar"
    case textNormalizer = "text-normalizer"
    case openAIRequest = "openai-request"
    case voskMessage = "vosk-message"

    /// The target named by the environment variable `EARSHOT_FUZZ_TARGET`, or nil when it names none.
    static let selected: FuzzTarget? = getenv("EARSHOT_FUZZ_TARGET").flatMap {
        FuzzTarget(rawValue: String(cString: $0))
    }

    /// Feeds one input to the parser; returns normally when the parser accepted or rejected it as it should.
    func run(_ input: [UInt8]) {
        switch self {
        case .wavHeader: WAVHeaderTarget.run(input)
        case .audioStream: AudioStreamTarget.run(input)
        case .safeTensors: SafeTensorsTarget.run(input)
        case .modelConfig: ModelConfigTarget.run(input)
        case .arpa: ARPATarget.run(input)
        case .manifest: ManifestTarget.run(input)
        case .lmSidecar: LMSidecarTarget.run(input)
        case .textNormalizer: TextNormalizerTarget.run(input)
        case .openAIRequest: OpenAIRequestTarget.run(input)
        case .voskMessage: VoskMessageTarget.run(input)
        }
    }
}
