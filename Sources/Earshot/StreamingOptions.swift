import EarshotNN

/// How a `StreamRecognizer` cuts the model's input into chunks and decides where an utterance ends.
///
/// Latency-controlled BiLSTM (Zhang et al. 2015, "Highway LSTM"; Xue & Yan 2017): the input is run in
/// chunks of `chunkSteps` model steps, each with `lookaheadSteps` further steps that only warm up the
/// reverse direction. A step's output is final `chunkSteps + lookaheadSteps` steps (at most) after it
/// arrives, so the algorithmic latency is `(chunkSteps + lookaheadSteps) · secondsPerStep` at most (0.48 s
/// with the defaults and 30 ms steps; on average half a chunk plus the look-ahead, 0.36 s), plus the
/// feature front end's one frame (25 ms).
public struct StreamingOptions: Codable, Sendable, Equatable {
    /// `Nc`, model steps per chunk. Default 8 (0.24 s at 30 ms per step).
    ///
    /// Chosen with `lookaheadSteps` on the corpus's validation set (`earshot eval valid.jsonl
    /// --chunk-steps … --lookahead-steps …`, the shipped model with its language model; Models/README.md):
    /// WER relative to whole-utterance decoding +0.5 % at 20/10, +2.5 % at 10/10, +9 % at 8/8, +15 % at
    /// 10/5 — 8/8 is the cheapest setting within 10 % whose average latency, `(Nc/2 + Nr)` steps = 0.36 s,
    /// stays under 0.4 s. The look-ahead buys more accuracy than the chunk length.
    public var chunkSteps: Int = 8
    /// `Nr`, look-ahead steps after each chunk, run only to warm up the reverse direction. Default 8
    /// (0.24 s, about a syllable of right context); more costs latency and compute (each look-ahead step is
    /// computed again with the next chunk, so the network runs `(Nc + Nr) / Nc` = 2 times per step).
    public var lookaheadSteps: Int = 8
    /// Trailing silence that ends an utterance, in seconds (steps quieter than `speechThresholdDBFS`).
    /// Default 0.8: longer than the pauses between words in running speech, short enough that a final
    /// result follows the end of a sentence within about a second.
    public var endpointSilenceSeconds: Double = 0.8
    /// Trailing model steps decoded as blank (the model hears no letter) that end an utterance after
    /// at least one letter, however loud the audio stays, in seconds; 0 disables. Default 1.0: steady
    /// noise, hum or music above `speechThresholdDBFS` would otherwise keep an utterance open until
    /// `maximumSegmentSeconds`; longer than the energy rule so that in quiet rooms that one decides.
    public var endpointBlankSeconds: Double = 1.0
    /// A model step (30 ms of audio) whose mean power is below this, in dB relative to a full-scale
    /// square wave, is silence. Default −50: a quiet room through a desk microphone is −70…−60 dBFS,
    /// conversational speech −35…−15, so the margin is wide on both sides.
    public var speechThresholdDBFS: Double = -50
    /// Silence given to the model before an utterance's first loud step and after its last, in seconds.
    /// Default 0.06: about the 50 ms of lead-in and tail the training clips have; the model decides the
    /// first and last letters with it, and never sees long silences it was not trained on.
    public var paddingSeconds: Double = 0.06
    /// Longest utterance, in seconds; at this length the segment is ended anyway (memory stays bounded
    /// when speech never pauses). Default 30, as `TranscriptionOptions.segmentSeconds`.
    public var maximumSegmentSeconds: Double = 30
    /// For models with `FeatureNormalization.utteranceMean`: the running mean covers at most this many of
    /// the utterance's latest feature frames (10 ms each). Default 600 (6 s), Kaldi's `--cmn-window`: long
    /// enough for a stable mean over several words, short enough to follow a change of channel or level.
    public var normalizationWindowFrames: Int = 600
    /// For models with `FeatureNormalization.utteranceMean`: the global mean counts as this many frames at
    /// an utterance's start, fading out as its own frames arrive. Default 200 (2 s), Kaldi's
    /// `--global-frames`: the first syllables are not normalised by a mean of a few frames of silence or of
    /// one vowel; after 2 s of the utterance the estimate is its own.
    public var normalizationPriorFrames: Int = 200

    public init(chunkSteps: Int = 8, lookaheadSteps: Int = 8) {
        self.chunkSteps = chunkSteps
        self.lookaheadSteps = lookaheadSteps
    }

    /// `chunkSteps` and `lookaheadSteps` as the encoder and the trainer take them (valid after `validate`).
    public var latencyControl: LatencyControl {
        LatencyControl(chunkSteps: chunkSteps, lookaheadSteps: lookaheadSteps)
    }

    /// Throws when a value cannot work (a chunk of no steps or too many, negative look-ahead or silence).
    public func validate() throws(StreamingOptionsError) {
        do { try latencyControl.validate() } catch { throw .invalid(error.description) }
        guard endpointSilenceSeconds > 0 else {
            throw .invalid("endpointSilenceSeconds must be positive, got \(endpointSilenceSeconds)")
        }
        guard endpointBlankSeconds >= 0 else {
            throw .invalid("endpointBlankSeconds must not be negative, got \(endpointBlankSeconds)")
        }
        guard normalizationWindowFrames >= 1, normalizationPriorFrames >= 0 else {
            throw .invalid("normalizationWindowFrames must be at least 1 and normalizationPriorFrames at least 0")
        }
        guard maximumSegmentSeconds > endpointSilenceSeconds else {
            throw .invalid("maximumSegmentSeconds must exceed endpointSilenceSeconds")
        }
    }
}

/// A `StreamingOptions` value that cannot work.
public enum StreamingOptionsError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): return message
        }
    }
}
