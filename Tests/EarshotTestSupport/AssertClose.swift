import EarshotFeatures
import XCTest

/// The largest absolute difference between two equally long arrays, and where it occurs.
public func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> (value: Float, index: Int) {
    precondition(a.count == b.count, "lengths differ: \(a.count) vs \(b.count)")
    var worst: Float = 0, at = 0
    for i in a.indices {
        let d = abs(a[i] - b[i])
        if d > worst || d.isNaN {
            worst = d
            at = i
            if d.isNaN { break }
        }
    }
    return (worst, at)
}

/// Fails unless `actual` and `expected` have the same length and differ by at most `tolerance`
/// anywhere; the failure names the worst index and shows the first values of both, as llm.c's tests do.
public func assertClose(
    _ actual: [Float], _ expected: [Float], tolerance: Float, _ message: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    guard actual.count == expected.count else {
        XCTFail("\(message()): \(actual.count) values, expected \(expected.count)", file: file, line: line)
        return
    }
    let (worst, index) = maxAbsoluteDifference(actual, expected)
    if !(worst <= tolerance) {
        XCTFail(
            """
            \(message()): max |diff| \(worst) > \(tolerance) at index \(index) \
            (got \(actual[index]), expected \(expected[index])); \
            first values got \(Array(actual.prefix(5))), expected \(Array(expected.prefix(5)))
            """, file: file, line: line)
    }
}

/// Seeded uniform noise in [−amplitude, amplitude), for tests that need a reproducible signal.
public func seededNoise(count: Int, seed: UInt64, amplitude: Float = 0.5) -> [Float] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return amplitude * (Float(state >> 40) / Float(1 << 23) - 1)
    }
}

/// A path for a test's scratch files, removed again when the test ends.
public func temporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Runs `body` with a fresh folder for scratch files, removed again afterwards (for Swift Testing tests,
/// which have no teardown blocks).
public func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Fails unless two feature matrices have the same shape and identical values; the message gives the
/// shapes or the largest difference, never the whole matrices.
public func assertSameFeatures(
    _ actual: FeatureMatrix, _ expected: FeatureMatrix, _ message: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    guard actual.frameCount == expected.frameCount, actual.dimension == expected.dimension else {
        XCTFail(
            "\(message()): shape (\(actual.frameCount), \(actual.dimension)), expected "
                + "(\(expected.frameCount), \(expected.dimension))", file: file, line: line)
        return
    }
    assertClose(actual.values, expected.values, tolerance: 0, message(), file: file, line: line)
}
