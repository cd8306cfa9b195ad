/// Something that turns accumulated gradients into parameter updates and can save and restore its
/// state, so that a training run resumed from a checkpoint continues exactly as if never stopped.
///
/// An optimizer walks the parameters it is given, skips frozen ones, and applies its rule to each;
/// per-parameter state is keyed by `Parameter.name`, so the same names must be used across a resume.
public protocol Optimizer: AnyObject {
    /// Number of `update` calls so far (the global step a learning-rate schedule counts).
    var step: Int { get }

    /// Applies one step to every non-frozen parameter from its `gradient`, with this step's learning
    /// rate. Gradients are read, not cleared.
    func update(_ parameters: [Parameter], learningRate: Float)

    /// The state as tensors (for a safetensors checkpoint) and the global step.
    func exportState() -> (tensors: [String: Tensor], step: Int)

    /// Replaces the state with one exported earlier, checking it against `parameters`.
    /// - Throws: `OptimizerStateError` if the state is malformed or does not fit the parameters.
    func importState(_ tensors: [String: Tensor], step: Int, for parameters: [Parameter]) throws
}
