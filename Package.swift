// swift-tools-version: 6.1
// Earshot: an offline speech recognizer. The modules follow the data:
// audio → features → acoustic model → decoder → text.
import PackageDescription

/// Loops over `[Float]` run markedly faster without bounds and exclusivity checks (see SWIFT-NOTES.md);
/// only release builds get them, so debug builds and the tests keep every check.
let fastLoops: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

let package = Package(
    name: "Earshot",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "earshot", targets: ["earshot"]),
        .library(name: "EarshotAudio", targets: ["EarshotAudio"]),
        .library(name: "EarshotFeatures", targets: ["EarshotFeatures"]),
        .library(name: "EarshotNN", targets: ["EarshotNN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // C libraries from Debian; each is imported only by the one Swift module that wraps it.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        .target(name: "EarshotAudio", dependencies: ["CSndFile"], swiftSettings: fastLoops),
        .target(name: "EarshotFeatures", dependencies: ["CFFTW"], swiftSettings: fastLoops),
        .target(name: "EarshotNN", dependencies: ["COpenBLAS"], swiftSettings: fastLoops),
        .executableTarget(
            name: "earshot",
            dependencies: [
                "EarshotAudio", "EarshotFeatures", "EarshotNN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fastLoops),
        .executableTarget(
            name: "earshot-bench",
            dependencies: ["EarshotAudio", "EarshotFeatures"],
            swiftSettings: fastLoops),

        .target(name: "EarshotTestSupport", dependencies: ["EarshotFeatures"], path: "Tests/EarshotTestSupport"),
        .testTarget(
            name: "EarshotAudioTests", dependencies: ["EarshotAudio", "EarshotTestSupport"]),
        .testTarget(
            name: "EarshotFeaturesTests", dependencies: ["EarshotFeatures", "EarshotAudio", "EarshotTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "EarshotNNTests", dependencies: ["EarshotNN", "EarshotTestSupport"]),
        .testTarget(name: "EarshotCLITests", dependencies: ["earshot", "EarshotTestSupport", "EarshotFeatures", "EarshotAudio"]),
    ]
)
