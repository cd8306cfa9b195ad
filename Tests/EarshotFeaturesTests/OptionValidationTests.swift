import EarshotFeatures
import Testing

/// Feature options out of range are reported by their path in the options, with the value, before
/// anything is computed from them: values that would overflow a sample count (infinity, 1e300) or make
/// the filterbank absurdly large throw instead of trapping or allocating.
@Suite struct OptionValidationTests {
    /// (the field named, options with it broken).
    static let badOptions: [(String, FbankOptions)] = {
        func broken(_ change: (inout FbankOptions) -> Void) -> FbankOptions {
            var options = FbankOptions()
            change(&options)
            return options
        }
        return [
            ("frame.sampleRate", broken { $0.frame.sampleRate = 999 }),
            ("frame.sampleRate", broken { $0.frame.sampleRate = 400_000 }),
            ("frame.sampleRate", broken { $0.frame.sampleRate = 8000.5 }),
            ("frame.sampleRate", broken { $0.frame.sampleRate = .nan }),
            ("frame.sampleRate", broken { $0.frame.sampleRate = .infinity }),
            ("frame.frameShiftMs", broken { $0.frame.frameShiftMs = .infinity }),
            ("frame.frameShiftMs", broken { $0.frame.frameShiftMs = 1e300 }),
            ("frame.frameShiftMs", broken { $0.frame.frameShiftMs = .nan }),
            ("frame.frameShiftMs", broken { $0.frame.frameShiftMs = 0.01 }),
            ("frame.frameLengthMs", broken { $0.frame.frameLengthMs = -.infinity }),
            ("frame.frameLengthMs", broken { $0.frame.frameLengthMs = 2000 }),
            ("frame.dither", broken { $0.frame.dither = .infinity }),
            ("frame.preemphasisCoefficient", broken { $0.frame.preemphasisCoefficient = .nan }),
            ("mel.binCount", broken { $0.mel.binCount = 2 }),
            ("mel.binCount", broken { $0.mel.binCount = Int.max }),
            ("mel.lowFrequency", broken { $0.mel.lowFrequency = .nan }),
            ("mel.highFrequency", broken { $0.mel.highFrequency = 9000 }),
            ("energyFloor", broken { $0.energyFloor = -1 }),
            ("waveformScale", broken { $0.waveformScale = .infinity }),
        ]
    }()

    @Test(arguments: badOptions)
    func anOptionOutOfRangeIsNamedWithItsValue(field: String, options: FbankOptions) {
        let error = #expect(throws: FeatureError.self) { try options.validate() }
        guard case .invalidOption(let named, let requirement)? = error else { return }
        #expect(named == field)
        #expect(requirement.hasPrefix("must"), "\(requirement)")
        #expect(error?.description == "invalid feature option: \(field) \(requirement)")
    }

    @Test(arguments: [
        (0, 3, "count must be at least 1, got 0"), (3, 0, "stride must be at least 1, got 0"),
        (33, 3, "count must be at most 32, got 33"), (3, Int.max, "stride must be at most 32, got \(Int.max)"),
    ])
    func frameStackingIsBounded(count: Int, stride: Int, message: String) {
        let error = #expect(throws: FeatureError.self) { try FrameStacking(count: count, stride: stride).validate() }
        #expect(error?.description == "invalid feature option: " + message)
    }

    @Test func theDefaultsAndKaldisRatesAreValid() throws {
        try FbankOptions().validate()
        for rate in [8000.0, 16000, 44100, 48000] {
            var options = FbankOptions()
            options.frame.sampleRate = rate
            try options.validate()
        }
        try FrameStacking(count: 32, stride: 32).validate()
    }
}
