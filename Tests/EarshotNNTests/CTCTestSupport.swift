import Foundation
import Testing

@testable import EarshotNN

/// A CTC batch for tests: logits (T, B, V), lengths, targets, blank.
struct CTCBatch: CustomTestStringConvertible, Sendable {
    var timeSteps: Int
    var vocabularySize: Int
    var inputLengths: [Int]
    var targets: [[Int]]
    var blank = 0
    var logits: [Float]

    var batchSize: Int { inputLengths.count }
    var testDescription: String {
        "T=\(timeSteps) V=\(vocabularySize) blank=\(blank) lengths=\(inputLengths) targets=\(targets.map(\.count))"
    }

    /// Logits uniform in [−scale, scale) from a seeded generator.
    init(
        timeSteps: Int, vocabularySize: Int, inputLengths: [Int], targets: [[Int]], blank: Int = 0,
        scale: Float = 3, seed: UInt64
    ) {
        self.timeSteps = timeSteps
        self.vocabularySize = vocabularySize
        self.inputLengths = inputLengths
        self.targets = targets
        self.blank = blank
        var random = SeededRandom(seed: seed)
        logits = random.floats(timeSteps * inputLengths.count * vocabularySize).map { $0 * scale }
    }

    init(timeSteps: Int, vocabularySize: Int, inputLengths: [Int], targets: [[Int]], blank: Int = 0, logits: [Float]) {
        self.timeSteps = timeSteps
        self.vocabularySize = vocabularySize
        self.inputLengths = inputLengths
        self.targets = targets
        self.blank = blank
        self.logits = logits
    }

    /// Our losses and gradient (weights as given).
    func run(weights: [Float]? = nil, maxThreads: Int = 2) -> (results: [CTCLoss.SequenceResult], gradient: [Float]) {
        var loss = CTCLoss(blank: blank)
        loss.maxThreads = maxThreads
        let (results, gradient) = loss.compute(
            logits: logits, timeSteps: timeSteps, batchSize: batchSize, vocabularySize: vocabularySize,
            inputLengths: inputLengths, targets: targets, weights: weights, computeGradient: true)
        return (results, gradient!)
    }

    /// Our log-likelihoods in Double (nil: impossible), without the gradient.
    func logLikelihoods(logits override: [Float]? = nil) -> [Double?] {
        (override ?? logits).withUnsafeBufferPointer { logits in
            CTCLoss(blank: blank).logLikelihoods(
                logits: logits.baseAddress!, timeSteps: timeSteps, batchSize: batchSize,
                vocabularySize: vocabularySize, inputLengths: inputLengths, targets: targets, gradient: nil)
        }
    }

    /// The naive twin's results.
    func naive() -> [CTCNaive.Result] {
        CTCNaive.compute(
            logits: logits, timeSteps: timeSteps, batchSize: batchSize, vocabularySize: vocabularySize, blank: blank,
            inputLengths: inputLengths, targets: targets)
    }

    /// Row (t, b) of a (T, B, V) tensor.
    func row(_ tensor: [Float], t: Int, b: Int) -> ArraySlice<Float> {
        let start = (t * batchSize + b) * vocabularySize
        return tensor[start..<(start + vocabularySize)]
    }
}

/// A random target of `length` labels from 1..<vocabularySize (blank 0): each label repeats its
/// predecessor with probability `repeatChance` and otherwise differs from it (so `repeatChance: 0`
/// means no adjacent repeats, and L + repeats frames are needed).
func randomTarget(length: Int, vocabularySize: Int, repeatChance: Double = 0.2, seed: UInt64) -> [Int] {
    var random = SeededRandom(seed: seed)
    var target: [Int] = []
    for i in 0..<length {
        if i > 0 && Double.random(in: 0..<1, using: &random) < repeatChance {
            target.append(target[i - 1])
        } else {
            var label = Int.random(in: 1..<vocabularySize, using: &random)
            while i > 0 && label == target[i - 1] { label = Int.random(in: 1..<vocabularySize, using: &random) }
            target.append(label)
        }
    }
    return target
}

/// The largest |a − b| over two equally long sequences, with its index.
func maxDifference<A: Collection, B: Collection>(_ a: A, _ b: B) -> (value: Double, index: Int)
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    precondition(a.count == b.count, "lengths differ: \(a.count) vs \(b.count)")
    var worst = 0.0
    var at = 0
    for (i, (x, y)) in zip(a, b).enumerated() {
        let d = abs(Double(x) - Double(y))
        if d > worst || d.isNaN {
            worst = d
            at = i
            if d.isNaN { break }
        }
    }
    return (worst, at)
}

/// Records an issue unless |actual − expected| ≤ tolerance everywhere; the message gives the worst
/// index and the first values (as llm.c's tests print them).
func expectClose<A: Collection, B: Collection>(
    _ actual: A, _ expected: B, tolerance: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    let (worst, index) = maxDifference(actual, expected)
    if !(worst <= tolerance) {
        let a = Array(actual)
        let e = Array(expected)
        Issue.record(
            """
            \(what): max |diff| \(worst) > \(tolerance) at index \(index) (got \(a[index]), expected \(e[index])); \
            first values got \(a.prefix(4)), expected \(e.prefix(4))
            """, sourceLocation: sourceLocation)
    }
}
