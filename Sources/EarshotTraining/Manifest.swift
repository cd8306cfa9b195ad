import EarshotDecoding

/// A training or evaluation list: the entries of one manifest file as read, before validation.
///
/// Reading never stops at a bad line: lines that cannot be parsed are kept in `malformedLines`, and
/// `ManifestValidation.validate` reports them together with every other problem.
public struct Manifest: Sendable, Equatable {
    /// The manifest's path, as given to the reader (used in messages).
    public var path: String
    /// The layout it was read as.
    public var format: ManifestFormat
    /// The well-formed entries, in file order.
    public var entries: [ManifestEntry]
    /// Lines that could not be parsed, in file order.
    public var malformedLines: [ManifestProblem]
    /// The normalisation applied to the transcripts (and whose alphabet gave `labels`).
    public var normalizer: TextNormalizer

    public init(
        path: String, format: ManifestFormat, entries: [ManifestEntry], malformedLines: [ManifestProblem],
        normalizer: TextNormalizer
    ) {
        self.path = path
        self.format = format
        self.entries = entries
        self.malformedLines = malformedLines
        self.normalizer = normalizer
    }

    /// Reads the manifest at `path`; see `ManifestReader.read`.
    public static func read(path: String, format: ManifestFormat? = nil, normalizer: TextNormalizer = TextNormalizer())
        throws(ManifestError) -> Manifest
    {
        try ManifestReader.read(path: path, format: format, normalizer: normalizer)
    }
}
