import EarshotAudio
import Foundation

/// Expands command-line inputs into audio files: files as given, folders searched recursively for audio
/// files (by extension), and glob patterns (when the shell did not expand them). An input that names
/// nothing is kept, so that it is reported as missing with the others; `-` (standard input) is kept as it is.
enum AudioInputs {
    /// The input name that means standard input.
    static let standardInput = "-"

    /// How messages name `input`: standard input as the stream reader names it (`<stdin>`), a file by its path.
    static func messageName(of input: String) -> String {
        input == standardInput ? AudioStreamReader.standardInputName : input
    }

    static let extensions: Set<String> = [
        "wav", "flac", "ogg", "oga", "opus", "mp3", "aiff", "aif", "au", "caf", "w64",
    ]

    static func expand(_ inputs: [String]) -> [String] {
        var files: [String] = []
        for input in inputs {
            guard input != standardInput else {
                files.append(input)
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                let found = (FileManager.default.enumerator(atPath: input)?.compactMap { $0 as? String } ?? [])
                    .filter { extensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
                    .sorted()
                    .map { URL(fileURLWithPath: input).appendingPathComponent($0).path }
                files += found.isEmpty ? [input] : found  // an empty folder is reported, not skipped
            } else if input.contains(where: { "*?[".contains($0) }) && !FileManager.default.fileExists(atPath: input) {
                let matches = glob(input)
                files += matches.isEmpty ? [input] : matches
            } else {
                files.append(input)
            }
        }
        return files
    }

    /// True when `path` names a regular file (after symbolic links): not a folder, and not a pipe or a
    /// device, which can be read once only.
    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    private static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
    }
}
