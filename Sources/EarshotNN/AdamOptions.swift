/// Hyperparameters of Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019), with PyTorch's
/// defaults so that a recipe written for `torch.optim.Adam` carries over unchanged. The learning rate is
/// not here: it changes every step (`LearningRateSchedule`) and is passed to each update.
///
/// Stored in `Double`, like PyTorch's Python floats: the bias corrections `1 − βᵗ` are computed in
/// `Double` from these exact values, and only the per-element coefficients are rounded to `Float`.
public struct AdamOptions: Codable, Sendable, Equatable {
    /// β1, decay of the first-moment (mean) estimate. Default 0.9: averages over ~10 steps.
    public var beta1: Double = 0.9
    /// β2, decay of the second-moment (uncentred variance) estimate. Default 0.999: averages over
    /// ~1000 steps, so the per-weight step size changes slowly.
    public var beta2: Double = 0.999
    /// ε, added to √v̂ so weights with (near) zero gradient history do not get huge steps. Default 1e-8.
    public var epsilon: Double = 1e-8
    /// λ of decoupled weight decay (AdamW): each step first does p ← p·(1 − lr·λ), independently of the
    /// gradient. Default 0 (plain Adam); AdamW recipes use ~0.01.
    public var weightDecay: Double = 0

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}
