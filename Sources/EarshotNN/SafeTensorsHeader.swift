/// The JSON header of a safetensors file, parsed and checked against the data section it describes.
///
/// `{"__metadata__": {"key": "value", …}, "<name>": {"dtype": "F32", "shape": [2, 3],
/// "data_offsets": [begin, end]}, …}`; offsets are bytes from the start of the data section, `end`
/// exclusive. A valid file's tensors tile the data section exactly: sorted by offset, each begins where
/// the previous ended, the first at 0 and the last at the end of the file (the reference
/// implementation's `validate`, which we follow so that whatever it rejects we reject too).
struct SafeTensorsHeader {
    /// One tensor's entry: where its bytes are and how to read them.
    struct Entry {
        var name: String
        var dtype: SafeTensors.DType
        var shape: [Int]
        /// Element count, `shape.reduce(1, *)`.
        var count: Int
        /// Byte range `begin..<end` within the data section.
        var begin: Int
        var end: Int
    }

    /// Sorted by `begin`: the order of the bytes in the file.
    var entries: [Entry]
    var metadata: [String: String]

    /// The reserved key of the free-form string map.
    static let metadataKey = "__metadata__"

    /// Parses the header bytes and checks every entry against a data section of `dataLength` bytes.
    /// Errors name `path` and, where one is at fault, the tensor.
    static func parse(_ bytes: [UInt8], dataLength: Int, path: String) throws(SafeTensorsError) -> SafeTensorsHeader {
        func fail(_ kind: SafeTensorsError.Kind, _ reason: String, tensor: String? = nil) -> SafeTensorsError {
            SafeTensorsError(path: path, tensor: tensor, kind: kind, reason: reason)
        }
        // Decoding replaces each invalid sequence by U+FFFD, so the bytes survive unchanged only if
        // they were valid UTF-8 (`String(validating:)` would say the same but needs macOS 15).
        guard String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes) else {
            throw fail(.invalidHeader, "header is not valid UTF-8")
        }
        let json: SafeTensorsJSON
        do throws(SafeTensorsJSONSyntaxError) {
            json = try SafeTensorsJSONParser.parse(bytes)
        } catch {
            throw fail(.invalidHeader, "header is not valid JSON: \(error.message) at header byte \(error.offset)")
        }
        guard case .object(let members) = json else {
            throw fail(.invalidHeader, "header is \(json.kindName), expected a JSON object")
        }

        var entries: [Entry] = []
        var metadata: [String: String]?
        var seen = Set<String>()
        for (name, value) in members {
            guard seen.insert(name).inserted else {
                throw fail(.duplicateName, "the name appears more than once in the header", tensor: name)
            }
            if name == metadataKey {
                metadata = try parseMetadata(value, fail: fail)
            } else {
                entries.append(try parseEntry(name: name, value, dataLength: dataLength, fail: fail))
            }
        }
        try checkLayout(entries, dataLength: dataLength, fail: fail)
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        return SafeTensorsHeader(entries: entries, metadata: metadata ?? [:])
    }

    private static func parseMetadata(
        _ value: SafeTensorsJSON, fail: (SafeTensorsError.Kind, String, String?) -> SafeTensorsError
    ) throws(SafeTensorsError) -> [String: String] {
        guard case .object(let members) = value else {
            throw fail(.invalidHeader, "\(metadataKey) is \(value.kindName), expected an object of strings", nil)
        }
        var metadata: [String: String] = [:]
        for (key, value) in members {
            guard case .string(let text) = value else {
                throw fail(.invalidHeader, "\(metadataKey) key '\(key)' is \(value.kindName), expected a string", nil)
            }
            guard metadata.updateValue(text, forKey: key) == nil else {
                throw fail(.duplicateName, "\(metadataKey) key '\(key)' appears more than once", nil)
            }
        }
        return metadata
    }

    private static func parseEntry(
        name: String, _ value: SafeTensorsJSON, dataLength: Int,
        fail: (SafeTensorsError.Kind, String, String?) -> SafeTensorsError
    ) throws(SafeTensorsError) -> Entry {
        guard case .object(let fields) = value else {
            throw fail(.invalidHeader, "entry is \(value.kindName), expected an object", name)
        }
        var byKey: [String: SafeTensorsJSON] = [:]
        for (key, field) in fields {
            guard byKey.updateValue(field, forKey: key) == nil else {
                throw fail(.invalidHeader, "field '\(key)' appears more than once", name)
            }
        }
        // dtype
        guard case .string(let dtypeName)? = byKey["dtype"] else {
            throw fail(.invalidHeader, "missing or non-string \"dtype\"", name)
        }
        guard let dtype = SafeTensors.DType(rawValue: dtypeName) else {
            if SafeTensors.DType.unsupportedNames.contains(dtypeName) {
                throw fail(
                    .unsupportedDType, "dtype \(dtypeName) is not supported (Earshot reads F32, F16, BF16, F64)", name)
            }
            throw fail(.unknownDType, "unknown dtype \"\(dtypeName)\"", name)
        }
        // shape
        guard case .array(let dimensions)? = byKey["shape"] else {
            throw fail(.invalidHeader, "missing or non-array \"shape\"", name)
        }
        var shape: [Int] = []
        var count = 1
        for dimension in dimensions {
            guard let size = dimension.nonNegativeInt else {
                throw fail(.invalidHeader, "shape has an entry that is not a non-negative integer", name)
            }
            shape.append(size)
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail(.sizeMismatch, "shape \(shape) has too many elements", name) }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteCount)
        guard !overflow else { throw fail(.sizeMismatch, "shape \(shape) of \(dtypeName) is too large", name) }
        // data_offsets
        guard case .array(let offsets)? = byKey["data_offsets"], offsets.count == 2,
            let begin = offsets[0].nonNegativeInt, let end = offsets[1].nonNegativeInt
        else {
            throw fail(.invalidHeader, "\"data_offsets\" must be two non-negative integers [begin, end]", name)
        }
        guard begin <= end else {
            throw fail(.offsetsOutOfRange, "data_offsets [\(begin), \(end)] end before they begin", name)
        }
        guard end <= dataLength else {
            throw fail(
                .offsetsOutOfRange,
                "data_offsets [\(begin), \(end)] reach past the data section, which has \(dataLength) bytes "
                    + "(truncated file?)", name)
        }
        guard end - begin == byteCount else {
            throw fail(
                .sizeMismatch,
                "shape \(shape) of \(dtypeName) needs \(byteCount) bytes but data_offsets [\(begin), \(end)] "
                    + "hold \(end - begin)", name)
        }
        return Entry(name: name, dtype: dtype, shape: shape, count: count, begin: begin, end: end)
    }

    /// The tensors must tile `0..<dataLength` exactly: no gap, no overlap, nothing after the last one.
    private static func checkLayout(
        _ entries: [Entry], dataLength: Int, fail: (SafeTensorsError.Kind, String, String?) -> SafeTensorsError
    ) throws(SafeTensorsError) {
        let sorted = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var cursor = 0
        var previous: Entry?
        for entry in sorted {
            if entry.begin < cursor, let previous {
                throw fail(
                    .overlap,
                    "bytes [\(entry.begin), \(entry.end)) overlap tensor '\(previous.name)' "
                        + "[\(previous.begin), \(previous.end))", entry.name)
            }
            if entry.begin > cursor {
                throw fail(
                    .uncoveredData,
                    "data bytes [\(cursor), \(entry.begin)) before this tensor belong to no tensor", entry.name)
            }
            cursor = entry.end
            previous = entry
        }
        if cursor != dataLength {
            throw fail(
                .uncoveredData,
                "data bytes [\(cursor), \(dataLength)) after the last tensor belong to no tensor", nil)
        }
    }

    /// The header as the reference writer serialises it: `__metadata__` first (omitted when empty), then
    /// the entries in data order, compact JSON, padded with spaces to a multiple of 8 bytes.
    /// `metadata` keys are written in byte order (the reference writer uses its hash map's order).
    static func encode(entries: [Entry], metadata: [String: String]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        func separator() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
        }
        if !metadata.isEmpty {
            separator()
            SafeTensorsJSONWriter.appendString(metadataKey, to: &out)
            out.append(contentsOf: Array(":{".utf8))
            for (index, key) in metadata.keys.sorted(by: SafeTensors.byteOrder).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                SafeTensorsJSONWriter.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                SafeTensorsJSONWriter.appendString(metadata[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        for entry in entries {
            separator()
            SafeTensorsJSONWriter.appendString(entry.name, to: &out)
            out.append(contentsOf: Array(":{\"dtype\":".utf8))
            SafeTensorsJSONWriter.appendString(entry.dtype.rawValue, to: &out)
            out.append(contentsOf: Array(",\"shape\":[".utf8))
            for (index, size) in entry.shape.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                SafeTensorsJSONWriter.appendInteger(size, to: &out)
            }
            out.append(contentsOf: Array("],\"data_offsets\":[".utf8))
            SafeTensorsJSONWriter.appendInteger(entry.begin, to: &out)
            out.append(UInt8(ascii: ","))
            SafeTensorsJSONWriter.appendInteger(entry.end, to: &out)
            out.append(contentsOf: Array("]}".utf8))
        }
        out.append(UInt8(ascii: "}"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - out.count % 8) % 8))
        return out
    }
}
