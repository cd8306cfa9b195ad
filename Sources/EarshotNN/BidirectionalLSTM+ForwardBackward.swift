extension BidirectionalLSTM {
    /// Runs the stack over a padded batch; the result is `workspace.output`, `(T, B, 2H)`.
    ///
    /// Per layer: (training) dropout of the previous layer's output, then both directions — each one
    /// `RecurrentDirection.forward` (`LSTM`, `GRU`) writing its half of the layer's `(T, B, 2H)` output in place (stride 2H).
    ///
    /// - Parameters:
    ///   - input: `(T, B, I)` contiguous; padded rows are ignored (but must be finite).
    ///   - initialStates: per layer, the forward direction's state before the first step (what a
    ///     streaming recognizer carries between chunks; the reverse directions always start fresh);
    ///     `nil` for zero. Read the states to carry on with `workspace.finalState(layer:direction: 0)`.
    ///   - latencyControl: runs the reverse directions on chunk windows (`LatencyControl`), as a
    ///     streaming recognizer sees them; `nil` (the default) for whole sequences. `backward` follows.
    ///   - training: applies dropout between layers, with masks drawn from `workspace.dropoutGenerator`;
    ///     false (the default, inference) makes dropout the identity. `backward` follows.
    public func forward(
        input: UnsafePointer<Float>, shape: SequenceBatchShape, workspace: Workspace,
        initialStates: [LSTMState]? = nil, latencyControl: LatencyControl? = nil, training: Bool = false
    ) {
        precondition(workspace.configuration == configuration, "workspace made for another configuration")
        precondition(
            initialStates == nil || initialStates!.count == layers.count,
            "initialStates needs one state per layer (\(layers.count))")
        workspace.begin(shape, training: training)
        let H = configuration.hiddenSize
        let width = configuration.outputSize
        let dropout = training && hasDropout
        let schedule = workspace.schedule
        let windows = latencyControl.map { ReverseWindows(batch: shape, control: $0) }
        workspace.windows = windows
        if let windows { workspace.windowBuffers.reserve(rows: windows.shape.rowCount, configuration: configuration) }
        let buffers = workspace.windowBuffers
        withScheduleThreads(schedule) {
            for k in layers.indices {
                var layerInput = input
                if k > 0 {
                    layerInput = UnsafePointer(workspace.layerOutputs[k - 1])
                    if dropout, let streams = workspace.dropoutStreams {
                        precondition(streams.count == shape.batchSize, "dropoutStreams needs one stream per column")
                        var generators = streams.map { workspace.dropoutGenerator.split($0).split(UInt64(k)) }
                        Dropout.forward(
                            input: layerInput, output: workspace.droppedInputs[k - 1],
                            mask: workspace.dropoutMasks[k - 1], steps: shape.timeSteps, width: width,
                            probability: configuration.dropout, generators: &generators)
                        layerInput = UnsafePointer(workspace.droppedInputs[k - 1])
                    } else if dropout {
                        Dropout.forward(
                            input: layerInput, output: workspace.droppedInputs[k - 1],
                            mask: workspace.dropoutMasks[k - 1], count: shape.rowCount * width,
                            probability: configuration.dropout, generator: &workspace.dropoutGenerator)
                        layerInput = UnsafePointer(workspace.droppedInputs[k - 1])
                    }
                }
                let inputSize = configuration.inputSize(ofLayer: k)
                let output = workspace.layerOutputs[k]
                let layer = layers[k]
                let directions = workspace.directions[k]
                let initial = initialStates?[k]
                forBothDirections(schedule) { d in
                    if d == 1, let windows {
                        let windowInput = buffers.inputs[k], windowOutput = buffers.outputs[k]
                        windows.gather(layerInput, stride: inputSize, width: inputSize, into: windowInput)
                        layer.reverse.forward(
                            input: windowInput, inputStride: nil, output: windowOutput, outputStride: nil,
                            shape: windows.shape, workspace: directions[1], initialState: nil)
                        windows.scatterChunkSteps(windowOutput, width: H, into: output + H, stride: width)
                        shape.zeroPadding(output + H, width: H, stride: width)
                        return
                    }
                    layer[d].forward(
                        input: layerInput, inputStride: inputSize, output: output + d * H, outputStride: width,
                        shape: shape, workspace: directions[d], initialState: d == 0 ? initial : nil)
                }
            }
        }
    }

    /// Backward of the last `forward` on `workspace`: adds every parameter's gradient and, if
    /// `inputGradient` is given, writes `dL/dX (T, B, I)` (zero at padding).
    ///
    /// Layers in reverse order; per layer, both directions. `backward` (BPTT and weight gradients)
    /// at once, then the gradient of the layer input `dX = da_fwd·W_ih_fwd + da_rev·W_ih_rev`, split by
    /// rows between the two threads (`rowSplit`), then back through the dropout mask.
    ///
    /// - Parameters:
    ///   - input: the `(T, B, I)` given to `forward`.
    ///   - outputGradient: `dL/d output (T, B, 2H)`; padded rows are ignored.
    ///   - inputGradient: `(T, B, I)`, or `nil` when nobody needs it (a model's first layer).
    public func backward(
        input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>?, workspace: Workspace
    ) {
        guard let shape = workspace.shape else { preconditionFailure("backward: no forward on this workspace") }
        let H = configuration.hiddenSize
        let width = configuration.outputSize
        let rows = shape.rowCount
        let dropout = workspace.wasTraining && hasDropout
        let schedule = workspace.schedule
        let windows = workspace.windows
        let buffers = workspace.windowBuffers
        withScheduleThreads(schedule) {
            var upstream = outputGradient
            for k in layers.indices.reversed() {
                let inputSize = configuration.inputSize(ofLayer: k)
                let layerInput: UnsafePointer<Float> =
                    k == 0
                    ? input
                    : UnsafePointer(dropout ? workspace.droppedInputs[k - 1] : workspace.layerOutputs[k - 1])
                let output = UnsafePointer(workspace.layerOutputs[k])
                let layer = layers[k]
                let directions = workspace.directions[k]
                let gradient = upstream
                forBothDirections(schedule) { d in
                    if d == 1, let windows {
                        let windowGradient = buffers.outputGradient!
                        windows.gatherChunkGradient(gradient + H, stride: width, width: H, into: windowGradient)
                        layer.reverse.backward(
                            input: buffers.inputs[k], inputStride: nil, output: buffers.outputs[k], outputStride: nil,
                            outputGradient: windowGradient, outputGradientStride: nil, workspace: directions[1])
                        return
                    }
                    layer[d].backward(
                        input: layerInput, inputStride: inputSize, output: output + d * H, outputStride: width,
                        outputGradient: gradient + d * H, outputGradientStride: width, workspace: directions[d])
                }
                guard let target = k > 0 ? workspace.layerGradients[k % 2] : inputGradient else { continue }
                if let windows {
                    // dX = da_fwd · W_ih_fwd (all rows) + the windows' da_rev · W_ih_rev added back row by row.
                    let windowGradient = buffers.inputGradient!
                    forBothDirections(schedule) { d in
                        if d == 0 {
                            layer.forward.inputGradient(
                                into: target, stride: inputSize, accumulate: false, rows: nil, workspace: directions[0])
                        } else {
                            layer.reverse.inputGradient(
                                into: windowGradient, stride: nil, accumulate: false, rows: nil,
                                workspace: directions[1])
                        }
                    }
                    windows.scatterAdd(windowGradient, width: inputSize, into: target, stride: inputSize)
                } else {
                    // dX = da_fwd · W_ih_fwd + da_rev · W_ih_rev, the rows split in two halves.
                    let split = Self.rowSplit(rows)
                    let halves = [0..<split, split..<rows]
                    let concurrent = schedule == .concurrentDirections
                    let perform: (Int) -> Void = { half in
                        for range in concurrent ? [halves[half]] : (half == 0 ? [0..<rows] : []) {
                            layer.forward.inputGradient(
                                into: target, stride: inputSize, accumulate: false, rows: range,
                                workspace: directions[0])
                            layer.reverse.inputGradient(
                                into: target, stride: inputSize, accumulate: true, rows: range, workspace: directions[1]
                            )
                        }
                    }
                    forBothDirections(schedule, perform)
                }
                if k > 0 && dropout {
                    Dropout.backward(
                        outputGradient: target, mask: workspace.dropoutMasks[k - 1], inputGradient: target,
                        count: rows * width)
                }
                upstream = UnsafePointer(target)
            }
        }
    }

    /// Array convenience for tests and small inputs: runs `forward` and returns a copy of the output.
    public func forward(
        _ input: [Float], shape: SequenceBatchShape, workspace: Workspace, initialStates: [LSTMState]? = nil,
        latencyControl: LatencyControl? = nil, training: Bool = false
    ) -> [Float] {
        let expected = shape.rowCount * configuration.inputSize
        precondition(input.count == expected, "input has \(input.count) values, expected (T·B, I) = \(expected)")
        withNonNullBase(input) { x in
            forward(
                input: x, shape: shape, workspace: workspace, initialStates: initialStates,
                latencyControl: latencyControl, training: training)
        }
        return Array(workspace.output)
    }

    /// Array convenience: runs `backward` and returns `dL/dX (T, B, I)`.
    public func backward(_ input: [Float], outputGradient: [Float], workspace: Workspace) -> [Float] {
        guard let shape = workspace.shape else { preconditionFailure("backward: no forward on this workspace") }
        precondition(outputGradient.count == shape.rowCount * configuration.outputSize, "outputGradient size")
        var inputGradient = [Float](repeating: 0, count: input.count + 1)  // + 1: never empty
        withNonNullBase(input) { x in
            withNonNullBase(outputGradient) { dy in
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    backward(input: x, outputGradient: dy, inputGradient: dx.baseAddress!, workspace: workspace)
                }
            }
        }
        inputGradient.removeLast()
        return inputGradient
    }

    /// Where the rows of the input gradient are split between the two threads of the concurrent schedule: half,
    /// rounded down to a multiple of 48 rows (0 below 96 rows: all in one product, on one thread).
    ///
    /// So that a row's bits do not depend on the schedule: OpenBLAS's SGEMM kernels may round a row by its place
    /// among the rows of the product. Measured with OpenBLAS 0.3.21 (M = 40…5328 rows, `RowSplitTests`): products
    /// over rows `0..<r` and `r..<M` give the bits of one product over `0..<M` on the Haswell and Zen kernels
    /// (which OpenBLAS also runs on CPUs it does not know, such as Zen 5) only when `r` is a multiple of 12, on
    /// SkylakeX and Cooperlake for every `r`, and on none when a part is a single row; a split at `rows / 2`
    /// differed on Haswell and Zen for most sizes.
    static func rowSplit(_ rows: Int) -> Int { rows / 2 / 48 * 48 }
}

/// Calls `body` with the base address of `values`, or of a one-element dummy when `values` is empty
/// (a batch of zero rows is valid; its pointer is never read).
private func withNonNullBase<R>(_ values: [Float], _ body: (UnsafePointer<Float>) -> R) -> R {
    if values.isEmpty { return [Float(0)].withUnsafeBufferPointer { body($0.baseAddress!) } }
    return values.withUnsafeBufferPointer { body($0.baseAddress!) }
}
