extension Resampler {
    /// The low-pass filter's specification. Frequencies are fractions of the lower of the two rates, so one
    /// set of options suits every rate pair: for 48 kHz → 16 kHz (lower rate 16 kHz) the defaults pass
    /// 0–7.2 kHz and stop everything above 8 kHz.
    ///
    /// Why these defaults: the stopband starts at the lower rate's Nyquist frequency (0.5), so everything that
    /// could alias into the output (when downsampling) or image into it (when upsampling) is attenuated by
    /// at least `stopbandAttenuation`; nothing folds back even into the transition band. The passband ends
    /// at 0.45 so the transition band is 5 % of the lower rate (800 Hz at 16 kHz) — narrower costs taps in
    /// proportion, wider eats into the speech band. 80 dB puts aliases below 16-bit quantisation noise of
    /// a typical recording and is ~20 dB beyond what a recognizer could notice.
    public struct Options: Sendable, Codable, Equatable, Hashable {
        /// Upper edge of the band kept within the Kaiser ripple (≈ ±0.001 dB at 80 dB), as a fraction of
        /// the lower rate. Default 0.45.
        public var passbandEdge: Double
        /// Lower edge of the band attenuated by at least `stopbandAttenuation`, as a fraction of the lower
        /// rate; at most 0.5 (its Nyquist frequency). Default 0.5.
        public var stopbandEdge: Double
        /// Minimum attenuation of the stopband in dB; sets the Kaiser window's β and, with the transition
        /// width, the filter length. Default 80 dB.
        public var stopbandAttenuation: Double
        /// The most filter phases stored exactly. A rate pair reduces to L/M (L = outputRate / gcd); when
        /// L ≤ this, every output sample uses an exact phase of the filter. Above it (odd rates such as
        /// 44 101 Hz → 16 kHz, L = 16 000) the table keeps this many phases and each output interpolates
        /// linearly between the two nearest (error ≈ 1e-6 of full scale at 1024), bounding memory at
        /// (maxPhaseCount + 1) × taps floats. Default 1024 (every common pair, e.g. 11.025 k → 16 k, L = 640,
        /// is exact).
        public var maxPhaseCount: Int

        public init(
            passbandEdge: Double = 0.45, stopbandEdge: Double = 0.5, stopbandAttenuation: Double = 80,
            maxPhaseCount: Int = 1024
        ) {
            self.passbandEdge = passbandEdge
            self.stopbandEdge = stopbandEdge
            self.stopbandAttenuation = stopbandAttenuation
            self.maxPhaseCount = maxPhaseCount
        }

        /// The ideal low-pass cutoff, midway through the transition band, as a fraction of the lower rate
        /// (0.475 by default): where a Kaiser-windowed sinc is designed to have its edge.
        public var cutoff: Double { (passbandEdge + stopbandEdge) / 2 }

        /// Width of the transition band as a fraction of the lower rate (0.05 by default).
        public var transitionWidth: Double { stopbandEdge - passbandEdge }

        /// The Kaiser window's β for `stopbandAttenuation` (7.857 for 80 dB).
        public var kaiserBeta: Double { KaiserWindow.beta(attenuation: stopbandAttenuation) }

        /// Stops with a message naming the field if the options cannot describe a filter.
        func validate() {
            precondition(
                passbandEdge > 0 && passbandEdge < stopbandEdge && stopbandEdge <= 0.5,
                "Resampler.Options: need 0 < passbandEdge < stopbandEdge ≤ 0.5, got \(passbandEdge), \(stopbandEdge)")
            precondition(stopbandAttenuation > 0, "Resampler.Options: stopbandAttenuation must be > 0 dB")
            precondition(maxPhaseCount >= 1, "Resampler.Options: maxPhaseCount must be ≥ 1")
        }
    }
}
