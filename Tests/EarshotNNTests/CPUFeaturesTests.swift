import Testing

@testable import EarshotNN

@Suite struct CPUFeaturesTests {
    /// Abridged from this project's development machine (an AVX-512/AMX Xeon that OpenBLAS 0.3.21 does
    /// not recognise); two processors, with a `Features`-like key and a bogus line in between.
    static let sampleCpuinfo = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        model name\t: Intel(R) Xeon(R) Processor
        flags\t\t: fpu vme de pse tsc msr pae sse sse2 ssse3 fma cx16 sse4_1 sse4_2 avx f16c avx2 bmi2 \
        avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx_vnni avx512_bf16 amx_bf16 amx_tile
        bugs\t\t: spectre_v1
        no colon on this line

        processor\t: 1
        flags\t\t: fpu sse
        """

    @Test func parsesTheFirstFlagsLine() {
        let features = CPUFeatures(cpuinfo: Self.sampleCpuinfo)
        #expect(
            features
                == CPUFeatures(avx2: true, fma: true, avx512f: true, avx512bw: true, avx512vl: true, avx512dq: true))
        #expect(features.hasSkylakeXVectorUnits && features.hasHaswellVectorUnits)
        #expect(features.description == "AVX-512")
    }

    @Test func flagNamesMustMatchWholeWords() {
        // `avx512_bf16` or `avx512ifma` must not count as avx512f; `fma4` (AMD) is not FMA3.
        let features = CPUFeatures(flags: ["avx512_bf16", "avx512ifma", "fma4", "avx2"])
        #expect(features == CPUFeatures(avx2: true))
        #expect(!features.hasHaswellVectorUnits && features.description == "no AVX2")
    }

    @Test func avx512WithoutAllFourSubsetsIsNotSkylakeX() {
        // Knights Landing has F but neither BW, VL nor DQ.
        let features = CPUFeatures(flags: "avx2 fma avx512f avx512cd".split(separator: " "))
        #expect(!features.hasSkylakeXVectorUnits && features.hasHaswellVectorUnits)
        #expect(features.description == "AVX2+FMA")
    }

    @Test func textWithoutFlagsGivesNoFeatures() {
        #expect(CPUFeatures(cpuinfo: "") == CPUFeatures())
        #expect(CPUFeatures(cpuinfo: "processor\t: 0\nFeatures\t: fp asimd\n") == CPUFeatures())
    }

    /// This machine's own `/proc/cpuinfo` is readable despite reporting size 0.
    @Test func readsProcCpuinfo() throws {
        let text = try #require(readProcFile("/proc/cpuinfo"))
        #expect(text.contains("processor"))
        #expect(readProcFile("/nonexistent/file") == nil)
    }
}
