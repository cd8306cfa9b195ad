import EarshotAudio
import EarshotTestSupport
import Foundation
import XCTest

/// `earshot stream` as a user runs it: audio piped into standard input, JSON lines out, with the tiny
/// model and the clips it knows (Fixtures/README.md).
final class StreamCommandTests: XCTestCase {
    static let model = TranscribeCommandTests.model
    static let rate = 16000

    private func clip(_ name: String) throws -> [Float] {
        try AudioFile.read(
            path: TranscribeCommandTests.clips.appendingPathComponent("\(name).wav").path,
            sampleRate: Self.rate
        ).samples
    }

    /// Near-silence like the clips' own pauses: ±1 LSB of 16-bit noise.
    private func silence(_ seconds: Double) -> [Float] {
        seededNoise(count: Int(seconds * Double(Self.rate)), seed: 3, amplitude: 1.5 / 32768)
    }

    /// The JSON lines of an output.
    private func lines(_ data: Data) throws -> [[String: Any]] {
        try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    /// Character error rate of `text` against `expected` (Levenshtein distance over characters).
    private func cer(_ text: String, _ expected: String) -> Double {
        let a = Array(text), b = Array(expected)
        var row = Array(0...b.count)
        for i in a.indices {
            var next = [i + 1] + [Int](repeating: 0, count: b.count)
            for j in b.indices {
                next[j + 1] = min(row[j + 1] + 1, next[j] + 1, row[j] + (a[i] == b[j] ? 0 : 1))
            }
            row = next
        }
        return Double(row[b.count]) / Double(max(b.count, 1))
    }

    /// Two clips 1.5 s apart in a WAV stream: two finals, in order, with increasing times, each within
    /// a CER of 0.1 of the clip's transcript (the tiny model is overfit to its clips at their own frame
    /// phase; observed one dropped letter, "open the dor").
    func testTwoUtterancesGiveTwoFinalsInOrder() throws {
        let audio = silence(0.3) + (try clip("hello_world")) + silence(1.5) + (try clip("open_the_door")) + silence(1)
        let result = try CommandRunner.run(
            "earshot", ["stream", "--json", "--model", Self.model], stdin: WAVBytes.pcm16(audio, sampleRate: Self.rate))
        XCTAssertEqual(result.status, 0, result.stderr)
        let finals = try lines(result.stdout).filter { $0["type"] as? String == "final" }
        XCTAssertEqual(finals.count, 2, result.stdoutText)
        guard finals.count == 2 else { return }
        for (final, expected) in zip(finals, ["hello world", "open the door"]) {
            let text = final["text"] as! String
            XCTAssertLessThanOrEqual(cer(text, expected), 0.1, "\(text) vs \(expected)")
            let words = final["words"] as! [[String: Any]]
            XCTAssertEqual(words.map { $0["text"] as! String }.joined(separator: " "), text)
        }
        let times = finals.flatMap { [$0["start"] as! Double, $0["end"] as! Double] }
        XCTAssertEqual(times, times.sorted(), "\(times)")
        XCTAssertLessThan(times[1], times[2])
        XCTAssertGreaterThan(times[2], 0.3 + 0.84 + 1.4)  // the second starts after the pause
    }

    /// Raw s16le at --rate 16000, detected as raw because it does not start with "RIFF".
    func testRawInput() throws {
        let samples = silence(0.2) + (try clip("go_left")) + silence(1)
        var bytes = Data()
        for s in samples {
            withUnsafeBytes(of: Int16(max(-32768, min(32767, (s * 32768).rounded()))).littleEndian) {
                bytes.append(contentsOf: $0)
            }
        }
        for format in ["auto", "raw"] {
            let result = try CommandRunner.run(
                "earshot",
                ["stream", "--model", Self.model, "--rate", "16000", "--encoding", "s16le", "--format", format],
                stdin: bytes)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdoutText, "go left\n", format)  // text mode, not a terminal: finals only
        }
    }

    /// End of input flushes the utterance still open, with no trailing silence at all.
    func testEndOfInputFlushesTheLastUtterance() throws {
        let result = try CommandRunner.run(
            "earshot", ["stream", "--json", "--model", Self.model],
            stdin: WAVBytes.pcm16(try clip("stop_now"), sampleRate: Self.rate))
        XCTAssertEqual(result.status, 0, result.stderr)
        let all = try lines(result.stdout)
        XCTAssertEqual(all.last?["type"] as? String, "final")
        XCTAssertEqual(all.filter { $0["type"] as? String == "final" }.map { $0["text"] as? String }, ["stop now"])
    }

    /// Audio written in 100 ms pieces at about three times real time: a partial line comes out while
    /// the input is still arriving; SIGINT then ends the stream cleanly (status 0, final flushed).
    func testPartialsArriveWhileAudioIsStillComingAndSIGINTFlushes() throws {
        let audio = silence(0.3) + (try clip("open_the_door")) + silence(1.0) + (try clip("go_left"))
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("earshot")
        process.arguments = ["stream", "--json", "--model", Self.model, "--format", "raw"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let lock = NSLock()
        nonisolated(unsafe) var received = Data()
        nonisolated(unsafe) var partialBeforeEnd = false
        nonisolated(unsafe) var inputDone = false
        let reader = Thread {
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { return }
                lock.withLock {
                    received += data
                    if !inputDone && String(decoding: received, as: UTF8.self).contains("\"type\":\"partial\"") {
                        partialBeforeEnd = true
                    }
                }
            }
        }
        reader.start()
        let piece = Self.rate / 10
        for start in stride(from: 0, to: audio.count, by: piece) {
            var bytes = Data()
            for s in audio[start..<min(start + piece, audio.count)] {
                withUnsafeBytes(of: Int16((s * 32767).rounded()).littleEndian) { bytes.append(contentsOf: $0) }
            }
            try input.fileHandleForWriting.write(contentsOf: bytes)
            Thread.sleep(forTimeInterval: 0.03)
        }
        Thread.sleep(forTimeInterval: 0.5)  // let it decode what it has
        lock.withLock { inputDone = true }
        process.interrupt()  // SIGINT, stdin still open
        process.waitUntilExit()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, errorText)
        XCTAssertEqual(process.terminationReason, .exit)
        while lock.withLock({ !received.isEmpty && received.last != UInt8(ascii: "\n") }) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        Thread.sleep(forTimeInterval: 0.1)
        lock.withLock {
            XCTAssertTrue(partialBeforeEnd, String(decoding: received, as: UTF8.self))
            let finals = (try? lines(received))?.filter { $0["type"] as? String == "final" } ?? []
            XCTAssertEqual(finals.count, 2, String(decoding: received, as: UTF8.self))
            XCTAssertEqual(finals.last?["text"] as? String, "go left")
        }
        try? input.fileHandleForWriting.close()
    }

    func testHelpNamesTheFormats() throws {
        let result = try CommandRunner.run("earshot", ["stream", "--help"])
        XCTAssertEqual(result.status, 0)
        for option in [
            "--format", "--rate", "--encoding", "--json", "--chunk-steps", "--lookahead-steps", "--endpoint-seconds",
            "--model",
        ] {
            XCTAssertTrue(result.stdoutText.contains(option), option)
        }
    }
}
