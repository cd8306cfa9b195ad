// earshot-fuzz: libFuzzer over one of Earshot's parsers, chosen by EARSHOT_FUZZ_TARGET (see `FuzzTarget`);
// every other argument is libFuzzer's (corpus folders, -max_total_time=…, a crash file to replay).
import CFuzzSupport

#if canImport(Glibc)
    import Glibc
#endif

guard FuzzTarget.selected != nil else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    printToStandardError("earshot-fuzz: set EARSHOT_FUZZ_TARGET to one of: \(names)")
    exit(2)
}
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) })
