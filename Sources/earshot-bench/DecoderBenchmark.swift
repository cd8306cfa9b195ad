import EarshotDecoding
import EarshotFeatures
import Foundation

/// earshot-bench decode POSTERIORS.npy [--beam N] [--hotwords FILE] [--lm ARPA] [--blank-skip P] [--top-k K]
///     [--repeats N] [--nbest N]
/// Times BeamSearchDecoder on (T, V) log-probabilities already in memory (one workspace, reused; one warm-up),
/// and prints one JSON line with the median and the top transcript.
func benchDecode(_ arguments: ArraySlice<String>) throws {
    var path: String?, repeats = 21, hotwordsPath: String?, lmPath: String?
    var options = BeamSearchOptions()
    var iterator = arguments.makeIterator()
    func value(of flag: String) -> String {
        guard let value = iterator.next() else { fail("\(flag) needs a value") }
        return value
    }
    while let argument = iterator.next() {
        switch argument {
        case "--beam": options.beamWidth = Int(value(of: argument)) ?? 0
        case "--repeats": repeats = Int(value(of: argument)) ?? 0
        case "--hotwords": hotwordsPath = value(of: argument)
        case "--lm": lmPath = value(of: argument)
        case "--blank-skip": options.blankSkipThreshold = Float(value(of: argument)) ?? .nan
        case "--top-k": options.topK = Int(value(of: argument)) ?? 0
        case "--nbest": options.nBest = Int(value(of: argument)) ?? 0
        default: path = argument
        }
    }
    guard let path, repeats > 0 else { fail("decode needs POSTERIORS.npy and a positive --repeats") }
    let posteriors = try FeatureMatrix(npyAt: path)
    let (values, frames, vocabulary) = (posteriors.values, posteriors.frameCount, posteriors.dimension)
    var phrases: [String] = []
    if let hotwordsPath {
        phrases = try String(contentsOfFile: hotwordsPath, encoding: .utf8).split(separator: "\n").map(String.init)
    }
    let lm = try lmPath.map { try ARPALanguageModel(contentsOfFile: $0) }
    let decoder = try BeamSearchDecoder(options: options, languageModel: lm, hotwords: Hotwords(phrases))
    let workspace = BeamSearchDecoder.Workspace()
    var result = values.withUnsafeBufferPointer {
        decoder.decode($0, frameCount: frames, vocabularySize: vocabulary, workspace: workspace)
    }
    var times: [Double] = []
    for _ in 0..<repeats {
        times.append(
            seconds {
                result = values.withUnsafeBufferPointer {
                    decoder.decode($0, frameCount: frames, vocabularySize: vocabulary, workspace: workspace)
                }
            })
    }
    let json: [String: Any] = [
        "frames": frames, "vocabulary": vocabulary, "beam": options.beamWidth, "hotwords": phrases.count,
        "lm": lmPath ?? NSNull(), "blank_skip": Double(options.blankSkipThreshold), "top_k": options.topK,
        "median_seconds": median(times), "min_seconds": times.min()!, "times": times, "text": result.text,
        "score": Double(result.best.score), "threads": 1,
    ]
    let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// earshot-bench lm-load ARPA [--repeats N]
/// Times what a decoding command spends on its language model before the first frame: reading and parsing the
/// ARPA file (`ARPALanguageModel(contentsOfFile:)`, file in the page cache after the first run) and building a
/// beam-search decoder over it (the vocabulary trie). Prints one JSON line with the medians.
func benchLanguageModelLoad(_ arguments: ArraySlice<String>) throws {
    var path: String?, repeats = 7
    var iterator = arguments.makeIterator()
    while let argument = iterator.next() {
        switch argument {
        case "--repeats": repeats = Int(iterator.next() ?? "") ?? 0
        default: path = argument
        }
    }
    guard let path, repeats > 0 else { fail("lm-load needs ARPA and a positive --repeats") }
    var parse: [Double] = [], decoder: [Double] = []
    var model = try ARPALanguageModel(contentsOfFile: path)  // warm-up: the file into the page cache
    for _ in 0..<repeats {
        parse.append(try seconds { model = try ARPALanguageModel(contentsOfFile: path) })
        decoder.append(try seconds { _ = try BeamSearchDecoder(options: BeamSearchOptions(), languageModel: model) })
    }
    let json: [String: Any] = [
        "lm": path, "order": model.order, "ngrams": model.counts.reduce(0, +), "vocabulary": model.vocabulary.count,
        "parse_median_seconds": median(parse), "decoder_median_seconds": median(decoder), "parse_times": parse,
    ]
    let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
