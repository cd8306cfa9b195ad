import Foundation

/// The learning rate at each optimizer step: a linear warm-up from 0 to `peak` over `warmupSteps`, then a
/// decay. Steps count from 1 (the first update is step 1), as `Optimizer.step` does after the update.
///
/// ```
/// step ≤ W:   rate = peak · step / W                                (warm-up; step 1 gets peak / W)
/// step > W:   s = step − W (steps since the peak), and by `decay`:
///   .constant                     peak
///   .cosine(totalSteps T, floor)  floor + (peak − floor) · (1 + cos(π · s / (T − W))) / 2,  floor once step ≥ T
///   .inverseSquareRoot            peak · √(W / step)                (Noam; with W = 0: peak / √step)
///   .exponential(gamma)           peak · gammaˢ
/// ```
/// Warm-up exists because Adam's second-moment estimate is unreliable for the first few hundred
/// steps, and a full-size step then can throw a recurrent network into a region it never leaves.
/// Computed in `Double`, returned as `Float`. `Codable`, so it is stored with a checkpoint and logged.
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    /// What happens after the warm-up.
    public enum Decay: Codable, Sendable, Equatable {
        /// Stay at the peak.
        case constant
        /// Half a cosine from the peak (end of warm-up) down to `floor` at `totalSteps`, then `floor`.
        /// `floor` is an absolute learning rate (like PyTorch's `eta_min`), typically 0 or peak / 10.
        case cosine(totalSteps: Int, floor: Float)
        /// peak · √(W / step): the "Noam" schedule of *Attention Is All You Need*, continuous at W.
        case inverseSquareRoot
        /// Multiply by `gamma` (0 < gamma ≤ 1) every step after the peak, e.g. 0.9999.
        case exponential(gamma: Float)
    }

    /// The largest rate, reached at the end of the warm-up. Default 1e-3, Adam's usual rate.
    public var peak: Float
    /// W, steps of linear warm-up; 0 starts at the peak. Default 0.
    public var warmupSteps: Int
    /// Default `.constant`.
    public var decay: Decay

    public init(peak: Float = 1e-3, warmupSteps: Int = 0, decay: Decay = .constant) {
        precondition(peak >= 0 && peak.isFinite, "peak learning rate must be finite and ≥ 0, got \(peak)")
        precondition(warmupSteps >= 0, "warmupSteps must be ≥ 0, got \(warmupSteps)")
        switch decay {
        case .cosine(let totalSteps, let floor):
            precondition(totalSteps >= 0 && floor >= 0 && floor.isFinite, "cosine needs totalSteps ≥ 0 and floor ≥ 0")
        case .exponential(let gamma):
            precondition(gamma > 0 && gamma <= 1, "exponential gamma must be in (0, 1], got \(gamma)")
        case .constant, .inverseSquareRoot:
            break
        }
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.decay = decay
    }

    /// The learning rate of optimizer step `step` (≥ 1).
    public func rate(atStep step: Int) -> Float {
        precondition(step >= 1, "learning-rate steps count from 1, got \(step)")
        let peak = Double(self.peak)
        if step <= warmupSteps { return Float(peak * Double(step) / Double(warmupSteps)) }
        let sincePeak = Double(step - warmupSteps)
        switch decay {
        case .constant:
            return self.peak
        case .cosine(let totalSteps, let floor):
            guard step < totalSteps else { return floor }
            let progress = sincePeak / Double(totalSteps - warmupSteps)
            return Float(Double(floor) + (peak - Double(floor)) * (1 + cos(Double.pi * progress)) / 2)
        case .inverseSquareRoot:
            return Float(peak * (Double(max(warmupSteps, 1)) / Double(step)).squareRoot())
        case .exponential(let gamma):
            return Float(peak * pow(Double(gamma), sincePeak))
        }
    }
}
