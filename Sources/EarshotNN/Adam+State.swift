extension Adam {
    /// Suffixes of the exported tensors, PyTorch's state-dict names: for a parameter `lstm.weight_ih_l0`
    /// the state is `lstm.weight_ih_l0.exp_avg` (m, the parameter's shape), `….exp_avg_sq` (v, same
    /// shape) and `….step` (its update count, a scalar).
    public static let stateSuffixes = (firstMoment: ".exp_avg", secondMoment: ".exp_avg_sq", step: ".step")

    /// The largest step count a `Float` scalar stores exactly (2^24 ≈ 16.7 million updates); PyTorch also
    /// keeps `step` as a float32 tensor.
    static let maxExactStep = 1 << 24

    /// The moments and step counts of every parameter updated so far, as tensors named by
    /// `stateSuffixes`, and the global step. Copies the buffers.
    public func exportState() -> (tensors: [String: Tensor], step: Int) {
        var tensors: [String: Tensor] = [:]
        for (name, state) in momentsByName {
            precondition(state.step <= Self.maxExactStep, "Adam: step \(state.step) is too large to export exactly")
            tensors[name + Self.stateSuffixes.firstMoment] = Tensor(shape: [state.first.count], values: state.first)
            tensors[name + Self.stateSuffixes.secondMoment] = Tensor(shape: [state.second.count], values: state.second)
            tensors[name + Self.stateSuffixes.step] = Tensor(shape: [], values: [Float(state.step)])
        }
        return (tensors, step)
    }

    /// Replaces the state with `tensors` (as `exportState` made them) and the global step. Every entry must
    /// belong to one of `parameters` and match its size; parameters without state (frozen so far, or
    /// new) start fresh. Nothing changes if it throws.
    public func importState(_ tensors: [String: Tensor], step: Int, for parameters: [Parameter]) throws {
        guard step >= 0 else { throw OptimizerStateError(name: "step", reason: "global step \(step) is negative") }
        let byName = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var parts: [String: (first: Tensor?, second: Tensor?, step: Tensor?)] = [:]
        for (key, tensor) in tensors {
            if let name = Self.strip(Self.stateSuffixes.secondMoment, from: key) {
                parts[name, default: (nil, nil, nil)].second = tensor
            } else if let name = Self.strip(Self.stateSuffixes.firstMoment, from: key) {
                parts[name, default: (nil, nil, nil)].first = tensor
            } else if let name = Self.strip(Self.stateSuffixes.step, from: key) {
                parts[name, default: (nil, nil, nil)].step = tensor
            } else {
                throw OptimizerStateError(
                    name: key, reason: "not an Adam state tensor (expected .exp_avg, .exp_avg_sq or .step)")
            }
        }
        var imported: [String: Moments] = [:]
        for (name, part) in parts {
            guard let parameter = byName[name] else {
                throw OptimizerStateError(name: name, reason: "the model has no parameter of this name")
            }
            guard let first = part.first, let second = part.second, let stepTensor = part.step else {
                throw OptimizerStateError(name: name, reason: "needs all of .exp_avg, .exp_avg_sq and .step")
            }
            guard first.count == parameter.count, second.count == parameter.count else {
                throw OptimizerStateError(
                    name: name,
                    reason: "moments have \(first.count) and \(second.count) values, the parameter \(parameter.count) "
                        + "(shape \(parameter.shape))")
            }
            guard stepTensor.count == 1, let count = Int(exactly: stepTensor.values[0]), count >= 0 else {
                throw OptimizerStateError(
                    name: name, reason: "step must be one non-negative integer, got \(stepTensor.values)")
            }
            let state = Moments(count: 0, step: count)
            state.first = first.values
            state.second = second.values
            imported[name] = state
        }
        momentsByName = imported
        self.step = step
    }

    private static func strip(_ suffix: String, from key: String) -> String? {
        key.hasSuffix(suffix) ? String(key.dropLast(suffix.count)) : nil
    }
}
