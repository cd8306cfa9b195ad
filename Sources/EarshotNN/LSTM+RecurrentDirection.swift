extension LSTM: RecurrentDirection {
    public var cell: RecurrentCell { .lstm }

    public var weightPrecision: WeightPrecision { quantizedWeights == nil ? .f32 : .int8 }

    public func forward(
        input: UnsafePointer<Float>, inputStride: Int?, output: UnsafeMutablePointer<Float>, outputStride: Int?,
        shape: SequenceBatchShape, workspace: any RecurrentWorkspace, initialState: LSTMState?
    ) {
        forward(
            input: input, inputStride: inputStride, output: output, outputStride: outputStride, shape: shape,
            workspace: Self.own(workspace), initialState: initialState)
    }

    public func backward(
        input: UnsafePointer<Float>, inputStride: Int?, output: UnsafePointer<Float>, outputStride: Int?,
        outputGradient: UnsafePointer<Float>, outputGradientStride: Int?, workspace: any RecurrentWorkspace
    ) {
        backward(
            input: input, inputStride: inputStride, output: output, outputStride: outputStride,
            outputGradient: outputGradient, outputGradientStride: outputGradientStride, workspace: Self.own(workspace))
    }

    public func inputGradient(
        into inputGradient: UnsafeMutablePointer<Float>, stride: Int?, accumulate: Bool, rows: Range<Int>?,
        workspace: any RecurrentWorkspace
    ) {
        self.inputGradient(
            into: inputGradient, stride: stride, accumulate: accumulate, rows: rows, workspace: Self.own(workspace))
    }

    /// int8: a quantised copy (`quantizedForInference`), or `self` if already quantised on `path`;
    /// f32: `self`, or the float32 direction over the same parameters.
    public func withWeightPrecision(_ precision: WeightPrecision, path: Int8Matrix.KernelPath) -> any RecurrentDirection
    {
        switch precision {
        case .int8:
            return quantizedWeights?.hidden.path == path ? self : quantizedForInference(path: path)
        case .f32:
            guard quantizedWeights != nil else { return self }
            return LSTM(
                weightInput: weightInput, weightHidden: weightHidden, biasInput: biasInput, biasHidden: biasHidden,
                direction: direction, peepholes: peepholes)
        }
    }

    private static func own(_ workspace: any RecurrentWorkspace) -> Workspace {
        guard let workspace = workspace as? Workspace else {
            preconditionFailure("an LSTM direction was given a \(type(of: workspace))")
        }
        return workspace
    }
}

extension LSTM.Workspace: RecurrentWorkspace {}
