import EarshotFeatures
import EarshotTestSupport
import XCTest

final class PostProcessingTests: XCTestCase {
    func testMeanVarianceNormalizationGivesZeroMeanUnitVariance() {
        let t = 50, f = 4
        var values = seededNoise(count: t * f, seed: 9, amplitude: 3).map { $0 + 10 }
        for frame in 0..<t { values[frame * f + 3] = 5 }  // a constant column
        var features = FeatureMatrix(frameCount: t, dimension: f, values: values)
        MeanVarianceNormalization().apply(to: &features)
        for j in 0..<f {
            let column = (0..<t).map { Double(features.values[$0 * f + j]) }
            let mean = column.reduce(0, +) / Double(t)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(t)
            XCTAssertEqual(mean, 0, accuracy: 1e-5)
            XCTAssertEqual(variance, j == 3 ? 0 : 1, accuracy: 1e-4, "column \(j)")
        }
    }

    func testMeanOnlyNormalizationKeepsScale() {
        var features = FeatureMatrix(frameCount: 3, dimension: 1, values: [1, 2, 6])
        MeanVarianceNormalization(normalizeVariance: false).apply(to: &features)
        XCTAssertEqual(features.values, [-2, -1, 3])
    }

    func testStackingConcatenatesAndPadsWithTheLastFrame() {
        let features = FeatureMatrix(frameCount: 5, dimension: 2, values: (0..<10).map(Float.init))
        let stacked = FrameStacking(count: 3, stride: 3).apply(features)
        XCTAssertEqual(stacked.frameCount, 2)
        XCTAssertEqual(stacked.dimension, 6)
        XCTAssertEqual(Array(stacked[frame: 0]), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(Array(stacked[frame: 1]), [6, 7, 8, 9, 8, 9])
        let overlapping = FrameStacking(count: 2, stride: 1).apply(features)
        XCTAssertEqual(overlapping.frameCount, 5)
        XCTAssertEqual(Array(overlapping[frame: 4]), [8, 9, 8, 9])
        XCTAssertThrowsError(try FrameStacking(count: 0, stride: 1).validate())
    }

    func testNPYRoundTripAndHeader() throws {
        let features = FeatureMatrix(frameCount: 3, dimension: 2, values: [1, 2, 3, 4, -5, 6.5])
        let data = features.npyData()
        XCTAssertEqual(Array(data.prefix(6)), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0, "the data must start 64-byte aligned")
        XCTAssertEqual(try FeatureMatrix(npyData: data), features)
        XCTAssertThrowsError(try FeatureMatrix(npyData: Data("not numpy".utf8), name: "x.npy")) {
            XCTAssertTrue("\($0)".contains("x.npy"))
        }
        XCTAssertThrowsError(try FeatureMatrix(npyData: data.prefix(data.count - 4)))
    }
}
