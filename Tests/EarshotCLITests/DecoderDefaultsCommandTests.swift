import EarshotAudio
import EarshotTestSupport
import Foundation
import XCTest

/// The language model shipped beside a model (`X.lm.json` next to `X.safetensors`, see `DecoderDefaults`) as
/// `earshot transcribe`, `eval` and `stream` use it: by default, replaced by `--lm`, off with `--no-lm` or
/// `--greedy`, and every broken sidecar an error naming the file. A copy of the tiny model (Fixtures/README.md)
/// gets a sidecar in a scratch folder.
final class DecoderDefaultsCommandTests: XCTestCase {
    var directory: URL!
    /// The copy of the tiny model that has the sidecar.
    var model: String!

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).standardizedFileURL.path }
    private func clip(_ name: String) -> String {
        TranscribeCommandTests.clips.appendingPathComponent("\(name).wav").path
    }

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
        model = path("tiny.safetensors")
        try FileManager.default.copyItem(atPath: TranscribeCommandTests.model, toPath: model)
        // Two language models of the clips' sentences: the sidecar's, and another one for --lm.
        let text = path("sentences.txt")
        try "yes\nno\nhello world\ngo left\nstop now\nopen the door\n".write(
            toFile: text, atomically: true, encoding: .utf8)
        for (name, order) in [("tiny.arpa", "3"), ("other.arpa", "2")] {
            let build = try CommandRunner.run("earshot", ["lm", "build", text, "-o", path(name), "--order", order])
            XCTAssertEqual(build.status, 0, build.stderr)
        }
        try writeSidecar(#"{"arpa": "tiny.arpa", "alpha": 0.7, "beta": 2.5, "note": "for the tests"}"#)
    }

    private func writeSidecar(_ text: String) throws {
        try text.write(toFile: path("tiny.lm.json"), atomically: true, encoding: .utf8)
    }

    /// `transcribe -f json` of one clip with `arguments`: the exit status, the JSON object and stderr.
    private func transcribe(_ name: String, _ arguments: [String]) throws -> (Int32, [String: Any], String) {
        let result = try CommandRunner.run(
            "earshot", ["transcribe", clip(name), "--model", model, "-f", "json"] + arguments)
        let object = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [String: Any] ?? [:]
        return (result.status, object, result.stderr)
    }

    /// The alternatives' scores of a transcript (`--nbest`): what the language model changes.
    private func scores(_ object: [String: Any]) -> [Double] {
        ((object["segments"] as? [[String: Any]]) ?? []).flatMap {
            (($0["alternatives"] as? [[String: Any]]) ?? []).map { $0["score"] as! Double }
        }
    }

    func testTheSidecarLanguageModelIsUsedByDefault() throws {
        let (status, object, stderr) = try transcribe("open_the_door", ["--nbest", "3"])
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(object["text"] as? String, "open the door")
        XCTAssertEqual(object["language_model"] as? String, path("tiny.arpa"))
        XCTAssertEqual(object["alpha"] as? Double, 0.7)
        XCTAssertEqual(object["beta"] as? Double, 2.5)
        // Decoding changed: the hypotheses' scores now hold α·ln P + β per word.
        let (_, plain, _) = try transcribe("open_the_door", ["--nbest", "3", "--no-lm"])
        XCTAssertEqual(scores(object).count, 3)
        XCTAssertNotEqual(scores(object), scores(plain))
        // The summary line on stderr names it too.
        let text = try CommandRunner.run("earshot", ["transcribe", clip("yes"), "--model", model])
        XCTAssertEqual(text.stdoutText, "yes\n")
        XCTAssertTrue(text.stderr.contains("language model \(path("tiny.arpa")) (alpha 0.7, beta 2.5)"), text.stderr)

        // eval's JSON summary, and a model found through $EARSHOT_MODEL rather than --model.
        let manifest = path("eval.tsv")
        try "\(clip("go_left"))\tgo left\n\(clip("stop_now"))\tstop now\n".write(
            toFile: manifest, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["EARSHOT_MODEL"] = model
        let eval = try CommandRunner.run("earshot", ["eval", manifest, "--json"], environment: environment)
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let summary =
            try JSONSerialization.jsonObject(with: Data(eval.stdoutText.split(separator: "\n").last!.utf8))
            as! [String: Any]
        XCTAssertEqual(summary["language_model"] as? String, path("tiny.arpa"))
        XCTAssertEqual(summary["alpha"] as? Double, 0.7)
        XCTAssertEqual(summary["wer"] as? Double, 0)
    }

    /// A sidecar that gives only the ARPA file: α and β keep their defaults (0.5 and 1.0).
    func testASidecarWithoutWeightsKeepsTheDefaults() throws {
        try writeSidecar(#"{"arpa": "tiny.arpa"}"#)
        let (status, object, stderr) = try transcribe("go_left", [])
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(object["language_model"] as? String, path("tiny.arpa"))
        XCTAssertEqual(object["alpha"] as? Double, 0.5)
        XCTAssertEqual(object["beta"] as? Double, 1.0)
    }

    func testNoLMAndGreedyTurnItOff() throws {
        for arguments in [["--no-lm"], ["--greedy"], ["--greedy", "--no-lm"]] {
            let (status, object, stderr) = try transcribe("hello_world", arguments)
            XCTAssertEqual(status, 0, "\(arguments): \(stderr)")
            XCTAssertEqual(object["text"] as? String, "hello world", "\(arguments)")
            XCTAssertTrue(object["language_model"] is NSNull, "\(arguments): \(object["language_model"] ?? "missing")")
            XCTAssertTrue(object["alpha"] is NSNull, "\(arguments)")
        }
        // Neither reads the sidecar, so a broken one does not matter to them.
        try writeSidecar("{")
        XCTAssertEqual(try transcribe("yes", ["--no-lm"]).0, 0)
        XCTAssertEqual(try transcribe("yes", ["--greedy"]).0, 0)
        // Contradictions are usage errors (64), as before for an explicit --lm with --greedy.
        for arguments in [["--greedy", "--lm", path("other.arpa")], ["--no-lm", "--lm", path("other.arpa")]] {
            XCTAssertEqual(try transcribe("yes", arguments).0, 64, "\(arguments)")
        }
    }

    /// --lm replaces the sidecar's model, and its α and β go back to the defaults (they were tuned for the
    /// sidecar's model); --alpha and --beta override either.
    func testExplicitOptionsWin() throws {
        var (status, object, stderr) = try transcribe("stop_now", ["--lm", path("other.arpa")])
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(object["language_model"] as? String, path("other.arpa"))
        XCTAssertEqual(object["alpha"] as? Double, 0.5)
        XCTAssertEqual(object["beta"] as? Double, 1.0)

        (status, object, stderr) = try transcribe(
            "stop_now", ["--lm", path("other.arpa"), "--alpha", "0.9", "--beta", "0"])
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(object["alpha"] as? Double, 0.9)
        XCTAssertEqual(object["beta"] as? Double, 0)

        (status, object, stderr) = try transcribe("stop_now", ["--alpha", "0.2"])
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(object["language_model"] as? String, path("tiny.arpa"))
        XCTAssertEqual(object["alpha"] as? Double, 0.2)
        XCTAssertEqual(object["beta"] as? Double, 2.5)

        // --lm replaces the sidecar's model without reading it: a broken sidecar does not matter then.
        try writeSidecar("not json")
        XCTAssertEqual(try transcribe("stop_now", ["--lm", path("other.arpa")]).0, 0)
    }

    /// A sidecar that is there but unusable stops transcribe, eval and stream with status 1 and a message naming
    /// the sidecar and what is wrong.
    func testAMalformedSidecarIsAnError() throws {
        let sidecar = path("tiny.lm.json")
        let cases: [(String, String)] = [
            ("{\"arpa\": ", "not valid JSON"),
            ("[\"tiny.arpa\"]", "expected a JSON object"),
            (#"{"alpha": 0.5}"#, "'arpa' must name an ARPA file"),
            (#"{"arpa": "tiny.arpa", "alpha": "high"}"#, "'alpha' must be a number"),
            (#"{"arpa": "tiny.arpa", "beta": true}"#, "'beta' must be a number"),
            (#"{"arpa": "tiny.arpa", "alpha": -1}"#, "'alpha' must be ≥ 0"),
            (#"{"arpa": "tiny.arpa", "aplha": 0.5}"#, "unknown key 'aplha'"),
        ]
        for (text, cause) in cases {
            try writeSidecar(text)
            let (status, _, stderr) = try transcribe("yes", [])
            XCTAssertEqual(status, 1, text)
            XCTAssertTrue(stderr.contains("earshot: \(sidecar): \(cause)"), "\(text): \(stderr)")
        }
        let manifest = path("eval.tsv")
        try "\(clip("yes"))\tyes\n".write(toFile: manifest, atomically: true, encoding: .utf8)
        let eval = try CommandRunner.run("earshot", ["eval", manifest, "--model", model])
        XCTAssertEqual(eval.status, 1)
        XCTAssertTrue(eval.stderr.contains(sidecar), eval.stderr)
        let stream = try CommandRunner.run("earshot", ["stream", "--model", model], stdin: Data())
        XCTAssertEqual(stream.status, 1)
        XCTAssertTrue(stream.stderr.contains(sidecar), stream.stderr)
    }

    /// The ARPA file the sidecar names is missing or malformed: an error naming the sidecar and the ARPA file
    /// (with the line for a malformed one).
    func testAMissingOrCorruptLanguageModelIsAnError() throws {
        try writeSidecar(#"{"arpa": "gone.arpa", "alpha": 0.7}"#)
        var (status, _, stderr) = try transcribe("yes", [])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(
            stderr.contains(
                "\(path("tiny.lm.json")): its language model cannot be loaded: \(path("gone.arpa")):0: cannot read the file"
            ), stderr)

        try "\\data\\\nngram 1=2\n\n\\1-grams:\n-1.0\thello\nnot-a-number\tworld\n\\end\\\n"
            .write(toFile: path("broken.arpa"), atomically: true, encoding: .utf8)
        try writeSidecar(#"{"arpa": "broken.arpa"}"#)
        (status, _, stderr) = try transcribe("yes", [])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(stderr.contains("\(path("broken.arpa")):6: bad number 'not-a-number'"), stderr)
        XCTAssertTrue(stderr.contains(path("tiny.lm.json")), stderr)
    }

    /// `earshot stream` decodes its finals with the sidecar's model too (and still gets the clip right).
    func testStreamUsesTheSidecar() throws {
        // As StreamCommandTests feeds it: near-silence (±1 LSB of noise) around the clip.
        let rate = 16000
        func silence(_ seconds: Double) -> [Float] {
            seededNoise(count: Int(seconds * Double(rate)), seed: 3, amplitude: 1.5 / 32768)
        }
        let audio = silence(0.2) + (try AudioFile.read(path: clip("go_left"), sampleRate: rate).samples) + silence(1)
        let result = try CommandRunner.run(
            "earshot", ["stream", "--json", "--model", model],
            stdin: WAVBytes.pcm16(audio, sampleRate: rate))
        XCTAssertEqual(result.status, 0, result.stderr)
        let finals = result.stdoutText.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["type"] as? String == "final" }
        XCTAssertEqual(finals.last?["text"] as? String, "go left", result.stdoutText)
    }

    func testHelpStatesTheDefaults() throws {
        for command in ["transcribe", "eval", "stream"] {
            let help = try CommandRunner.run("earshot", [command, "--help"]).stdoutText
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for text in [
                "--no-lm", "<model stem>.lm.json", "sidecar's \"alpha\" when its language model is used, else 0.5)",
                "sidecar's \"beta\" when its language model is used, else 1.0)",
            ] {
                XCTAssertTrue(help.contains(text), "\(command) --help lacks \(text)")
            }
        }
    }
}
