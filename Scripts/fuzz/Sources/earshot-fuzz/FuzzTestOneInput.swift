/// libFuzzer's entry point: runs the selected target on the `size` bytes at `data`. Returns 0 (libFuzzer's
/// "keep the input if it found new coverage"); a failed check aborts the process instead (`require`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    FuzzTarget.selected?.run(input)
    return 0
}
