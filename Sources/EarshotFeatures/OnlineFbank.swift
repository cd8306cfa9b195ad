/// The streaming filterbank extractor: takes samples in chunks of any size and returns each frame as
/// soon as its last sample has arrived. Yields exactly the frames `Fbank` computes on the whole signal,
/// value for value, however the signal is chunked. Memory stays under one frame of samples plus the
/// frames it returns.
///
/// With `snipEdges == false` the frames that reach past the end of the signal (by reflection) can only
/// be computed once it has ended: call `finish()`.
public struct OnlineFbank {
    public let options: FbankOptions
    private let computer: FbankComputer
    /// Samples received so far.
    public private(set) var sampleCount = 0
    /// Frames returned so far.
    public private(set) var frameCount = 0
    /// Samples `pendingStart ..< sampleCount` that later frames still need (under one frame's worth).
    private var pending: [Float] = []
    private var pendingStart = 0
    /// The first `windowSize` samples of the signal, for the reflection at its start (`snipEdges == false`).
    private var head: [Float] = []
    /// One frame gathered from `pending`, the new chunk, or reflections.
    private var gathered: [Float]
    private var finished = false

    /// - Throws: `FeatureError.invalidOption` when the options cannot describe a frame.
    public init(options: FbankOptions = FbankOptions()) throws(FeatureError) {
        try options.validate()
        self.options = options
        computer = FbankComputer(options: options)
        gathered = [Float](repeating: 0, count: options.frame.windowSize)
        pending.reserveCapacity(2 * options.frame.windowSize)
    }

    /// Values per frame.
    public var dimension: Int { options.dimension }

    /// Feeds `samples` (in [−1, 1] at `options.frame.sampleRate`) and returns the frames completed by them.
    /// - Throws: `FeatureError.nonFiniteSample` (with the sample's index in the whole signal).
    public mutating func accept(_ samples: [Float]) throws(FeatureError) -> FeatureMatrix {
        var output: [Float] = []
        _ = try samples.withUnsafeBufferPointer { (buffer) throws(FeatureError) in
            try accept(buffer, appendingTo: &output)
        }
        return FeatureMatrix(frameCount: output.count / dimension, dimension: dimension, values: output)
    }

    /// Feeds `samples` and appends the completed frames' values to `output` (row-major).
    /// - Returns: the number of frames appended.
    @discardableResult
    public mutating func accept(_ samples: UnsafeBufferPointer<Float>, appendingTo output: inout [Float])
        throws(FeatureError) -> Int
    {
        precondition(!finished, "accept after finish")
        if let bad = samples.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteSample(index: sampleCount + bad)
        }
        let frame = options.frame
        let size = frame.windowSize
        let chunkStart = sampleCount
        sampleCount += samples.count
        if head.count < size {
            head += samples.prefix(size - head.count)
        }
        let ready = frame.frameCount(sampleCount: sampleCount, flush: false)
        let added = computeFrames(upTo: ready, chunk: samples, chunkStart: chunkStart, appendingTo: &output)

        // Keep only what the next frame needs.
        let keepFrom = max(frame.firstSample(ofFrame: frameCount), 0)
        if keepFrom >= chunkStart {
            pending.removeAll(keepingCapacity: true)
            if keepFrom < sampleCount { pending += samples[(keepFrom - chunkStart)...] }
        } else {
            pending.removeFirst(min(keepFrom - pendingStart, pending.count))
            pending += samples
        }
        pendingStart = min(keepFrom, sampleCount)
        return added
    }

    /// Ends the signal: returns the last frames, those that reach past its end (only when
    /// `snipEdges == false`; otherwise there are none).
    public mutating func finish() -> FeatureMatrix {
        var output: [Float] = []
        finish(appendingTo: &output)
        return FeatureMatrix(frameCount: output.count / dimension, dimension: dimension, values: output)
    }

    /// Ends the signal, appending the last frames to `output`; returns how many.
    @discardableResult
    public mutating func finish(appendingTo output: inout [Float]) -> Int {
        guard !finished else { return 0 }
        finished = true
        let total = options.frame.frameCount(sampleCount: sampleCount, flush: true)
        return computeFrames(
            upTo: total, chunk: UnsafeBufferPointer(start: nil, count: 0),
            chunkStart: sampleCount, appendingTo: &output)
    }

    /// Computes frames `frameCount ..< end`, reading each straight from `chunk` when it lies inside it,
    /// otherwise gathering it from `pending`, `head` and `chunk` with Kaldi's reflection at the ends.
    private mutating func computeFrames(
        upTo end: Int, chunk: UnsafeBufferPointer<Float>, chunkStart: Int, appendingTo output: inout [Float]
    ) -> Int {
        guard end > frameCount else { return 0 }
        let dim = dimension, size = options.frame.windowSize, total = sampleCount
        let first = output.count
        output.append(contentsOf: repeatElement(0, count: (end - frameCount) * dim))
        output.withUnsafeMutableBufferPointer { out in
            gathered.withUnsafeMutableBufferPointer { gather in
                pending.withUnsafeBufferPointer { pend in
                    head.withUnsafeBufferPointer { head in
                        for f in frameCount..<end {
                            let start = options.frame.firstSample(ofFrame: f)
                            let destination = out.baseAddress! + first + (f - frameCount) * dim
                            if start >= chunkStart && start + size <= total {
                                computer.compute(
                                    samples: chunk.baseAddress! + (start - chunkStart),
                                    frameIndex: f, output: destination)
                                continue
                            }
                            for j in 0..<size {
                                var s = start + j
                                while s < 0 || s >= total { s = s < 0 ? -s - 1 : 2 * total - 1 - s }
                                gather[j] =
                                    s >= chunkStart
                                    ? chunk[s - chunkStart]
                                    : s >= pendingStart ? pend[s - pendingStart] : head[s]
                            }
                            computer.compute(samples: gather.baseAddress!, frameIndex: f, output: destination)
                        }
                    }
                }
            }
        }
        let added = end - frameCount
        frameCount = end
        return added
    }
}
