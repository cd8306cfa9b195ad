extension GRU: RecurrentDirection {
    public var cell: RecurrentCell { .gru }

    public var weightPrecision: WeightPrecision { .f32 }

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

    /// f32: `self`; int8: `nil` (there is no int8 GRU path).
    public func withWeightPrecision(_ precision: WeightPrecision, path: Int8Matrix.KernelPath) -> (
        any RecurrentDirection
    )? {
        precision == .f32 ? self : nil
    }

    private static func own(_ workspace: any RecurrentWorkspace) -> Workspace {
        guard let workspace = workspace as? Workspace else {
            preconditionFailure("a GRU direction was given a \(type(of: workspace))")
        }
        return workspace
    }
}
