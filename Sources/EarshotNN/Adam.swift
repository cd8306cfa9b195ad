/// The Adam optimizer (AdamW when `options.weightDecay` ≠ 0) over a list of `Parameter`s: keeps one
/// first- and second-moment buffer and one step count per parameter, and applies `AdamOptions.apply`
/// (the rule) to each non-frozen parameter.
///
/// State is keyed by parameter name and created at a parameter's first update, so the moment buffers
/// are allocated once; later steps allocate nothing. Each parameter counts its own steps (as PyTorch
/// does), so a parameter unfrozen late in training starts with the right bias correction.
///
/// Not thread-safe: one training loop owns it.
public final class Adam: Optimizer {
    public var options: AdamOptions
    public internal(set) var step = 0

    /// One parameter's state: (N) moments, and how many updates the parameter has had.
    final class Moments {
        var first: [Float]
        var second: [Float]
        var step: Int

        init(count: Int, step: Int = 0) {
            first = [Float](repeating: 0, count: count)
            second = [Float](repeating: 0, count: count)
            self.step = step
        }
    }

    /// Per-parameter state, by `Parameter.name`.
    var momentsByName: [String: Moments] = [:]

    public init(options: AdamOptions = AdamOptions()) {
        self.options = options
    }

    /// One Adam step for each non-frozen parameter, from its accumulated gradient.
    public func update(_ parameters: [Parameter], learningRate: Float) {
        step += 1
        for parameter in parameters where !parameter.isFrozen {
            let state: Moments
            if let existing = momentsByName[parameter.name] {
                state = existing
                precondition(
                    state.first.count == parameter.count,
                    "Adam: parameter '\(parameter.name)' has \(parameter.count) values, its state \(state.first.count)")
            } else {
                state = Moments(count: parameter.count)
                momentsByName[parameter.name] = state
            }
            state.step += 1
            let options = self.options
            parameter.gradient.withUnsafeBufferPointer { gradient in
                parameter.value.withUnsafeMutableBufferPointer { value in
                    state.first.withUnsafeMutableBufferPointer { first in
                        state.second.withUnsafeMutableBufferPointer { second in
                            options.apply(
                                step: state.step, learningRate: learningRate, value: value, gradient: gradient,
                                firstMoment: first, secondMoment: second)
                        }
                    }
                }
            }
        }
    }

    /// Forgets all state: the next update is step 1 for every parameter.
    public func reset() {
        momentsByName.removeAll()
        step = 0
    }
}
