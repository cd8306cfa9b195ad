/// DeepSpeech manifests: CSV with a `wav_filename,wav_filesize,transcript` header.
extension ManifestReader {
    /// One CSV record: its fields and the line it starts on; `unterminated` when the file ends inside quotes.
    struct CSVRecord: Equatable {
        var line: Int
        var fields: [String]
        var unterminated = false
    }

    /// The records of `text` by RFC 4180: fields separated by commas, a field in double quotes may hold
    /// commas, newlines and doubled quotes (`""` → `"`); records end at `\n` or `\r\n` outside quotes. A
    /// quote inside an unquoted field is kept as a character. Blank (or all-space) lines give no record.
    static func csvRecords(_ text: String) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false, quotedField = false
        var line = 1, recordLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && trimmed(fields[0]).isEmpty && !quotedField) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            quotedField = false
        }

        while let c = pending {
            pending = scalars.next()
            if inQuotes {
                if c == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = scalars.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !quotedField:
                inQuotes = true
                quotedField = true
            case ",":
                fields.append(field)
                field = ""
                quotedField = false
            case "\r" where pending == "\n":
                break
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes {
            fields.append(field)
            records.append(CSVRecord(line: recordLine, fields: fields, unterminated: true))
        } else if !field.isEmpty || !fields.isEmpty || quotedField {
            endRecord()
        }
        return records
    }

    /// Each record after the header as an entry, or the reason it is not one. Throws when the first
    /// record is not a header naming `wav_filename` and `transcript`.
    static func parseCSV(_ text: String, path: String) throws(ManifestError) -> [ParsedLine] {
        let records = csvRecords(text)
        guard let header = records.first else { throw .empty(path: path) }
        let names = header.fields.map { trimmed($0).lowercased() }
        guard let pathColumn = names.firstIndex(of: "wav_filename"),
            let textColumn = names.firstIndex(of: "transcript")
        else {
            throw .unrecognizedFormat(
                path: path,
                cause: "line \(header.line): a DeepSpeech CSV starts with the header "
                    + "wav_filename,wav_filesize,transcript")
        }
        return records.dropFirst().map { record in
            if record.unterminated {
                return .malformed(line: record.line, path: nil, cause: "a quoted field is never closed (missing \")")
            }
            guard record.fields.count == names.count else {
                return .malformed(
                    line: record.line, path: record.fields.count > pathColumn ? record.fields[pathColumn] : nil,
                    cause: "expected \(names.count) comma-separated columns, found \(record.fields.count) "
                        + "(a transcript with commas must be in double quotes)")
            }
            let audio = record.fields[pathColumn]
            guard !audio.isEmpty else { return .malformed(line: record.line, path: nil, cause: "empty wav_filename") }
            return .entry(line: record.line, path: audio, transcript: record.fields[textColumn], duration: nil)
        }
    }
}
