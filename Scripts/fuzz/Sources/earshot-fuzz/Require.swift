#if canImport(Glibc)
    import Glibc
#endif

/// Checks an invariant of a parser's result; when it fails, prints `message` and aborts, which libFuzzer
/// reports as a crash and saves the input for.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard !condition else { return }
    printToStandardError("earshot-fuzz: invariant failed: \(message())")
    abort()
}

/// Writes `line` and a line break to standard error (file descriptor 2), unbuffered.
func printToStandardError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
