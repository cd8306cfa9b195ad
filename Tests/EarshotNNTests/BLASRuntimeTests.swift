import Testing

@testable import EarshotNN

@Suite struct BLASRuntimeTests {
    static let avx512 = CPUFeatures(
        avx2: true, fma: true, avx512f: true, avx512bw: true, avx512vl: true, avx512dq: true)
    static let avx2 = CPUFeatures(avx2: true, fma: true)
    static let sse = CPUFeatures()

    struct Decision: CustomTestStringConvertible, Sendable {
        var features: CPUFeatures, user: String?, picked: String, expected: String?
        var testDescription: String { "\(features) user=\(user ?? "nil") picked=\(picked) → \(expected ?? "nil")" }
    }

    static let decisions: [Decision] = [
        Decision(features: avx512, user: nil, picked: "Prescott", expected: "SkylakeX"),  // this machine
        Decision(features: avx2, user: nil, picked: "Prescott", expected: "Haswell"),
        Decision(features: avx512, user: nil, picked: "Sandybridge", expected: "SkylakeX"),
        Decision(features: avx512, user: "Haswell", picked: "Haswell", expected: nil),  // user's choice wins
        Decision(features: avx512, user: "Prescott", picked: "Prescott", expected: nil),  // even a slow one
        Decision(features: avx512, user: "", picked: "Prescott", expected: "SkylakeX"),  // blank = unset
        Decision(features: avx512, user: nil, picked: "SkylakeX", expected: nil),  // already fast
        Decision(features: avx512, user: nil, picked: "Cooperlake", expected: nil),
        Decision(features: avx512, user: nil, picked: "SAPPHIRERAPIDS", expected: nil),  // case-insensitive
        Decision(features: avx512, user: nil, picked: "Haswell", expected: nil),  // trust a known CPU
        Decision(features: avx2, user: nil, picked: "Zen", expected: nil),
        Decision(features: sse, user: nil, picked: "Prescott", expected: nil),  // nothing faster exists
        Decision(features: CPUFeatures(avx2: true), user: nil, picked: "Prescott", expected: nil),  // no FMA
    ]

    @Test(arguments: decisions)
    func coreTypeDecision(_ d: Decision) {
        #expect(
            BLASRuntime.coreTypeToRequest(features: d.features, userCoreType: d.user, pickedCoreName: d.picked)
                == d.expected)
    }

    @Test func relaunchEnvironmentAddsCoreTypeAndGuardOnce() {
        let environment = ["PATH=/usr/bin", "OPENBLAS_CORETYPE=", "HOME=/root", "OPENBLAS_CORETYPE_X=1"]
        #expect(
            BLASRuntime.relaunchEnvironment(environment, coreType: "SkylakeX")
                == [
                    "PATH=/usr/bin", "HOME=/root", "OPENBLAS_CORETYPE_X=1", "OPENBLAS_CORETYPE=SkylakeX",
                    "EARSHOT_BLAS_RELAUNCHED=1",
                ])
    }

    @Test func summaryExplainsWhoChoseTheCore() {
        func summary(
            _ core: String, _ environment: [String: String], features: CPUFeatures = Self.avx512, threads: Int = 1
        ) -> String {
            BLASRuntime.describe(
                version: "0.3.21", coreName: core, threads: threads, environment: { environment[$0] },
                features: features)
        }
        let relaunched = ["OPENBLAS_CORETYPE": "SkylakeX", "EARSHOT_BLAS_RELAUNCHED": "1"]
        #expect(
            summary("SkylakeX", relaunched)
                == "OpenBLAS 0.3.21, core SkylakeX (set by earshot; CPU has AVX-512), 1 thread")
        #expect(
            summary("Haswell", ["OPENBLAS_CORETYPE": "haswell"], threads: 2)
                == "OpenBLAS 0.3.21, core Haswell (set by OPENBLAS_CORETYPE), 2 threads")
        #expect(
            summary("Prescott", relaunched)
                == "OpenBLAS 0.3.21, core Prescott (OPENBLAS_CORETYPE=SkylakeX was not applied), 1 thread")
        #expect(
            summary("Prescott", [:])
                == "OpenBLAS 0.3.21, core Prescott (chosen by OpenBLAS; OPENBLAS_CORETYPE=SkylakeX would be faster on this CPU), 1 thread"
        )
        #expect(summary("Zen", [:], features: Self.avx2) == "OpenBLAS 0.3.21, core Zen (chosen by OpenBLAS), 1 thread")
    }

    /// The live library: it names a core, reports a version, and honours a thread count.
    @Test func liveOpenBLAS() {
        #expect(!BLASRuntime.coreName.isEmpty)
        #expect(BLASRuntime.version.hasPrefix("0."), "configuration: \(BLASRuntime.configuration)")
        #expect(BLASRuntime.summary.hasPrefix("OpenBLAS \(BLASRuntime.version), core \(BLASRuntime.coreName) ("))
        let before = BLASRuntime.threads
        BLASRuntime.threads = 1
        #expect(BLASRuntime.threads == 1)
        BLASRuntime.threads = before
    }
}
