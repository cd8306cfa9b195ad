// swift-tools-version: 6.1
// Earshot: an offline speech recognizer. The modules follow the data:
// audio → features → acoustic model → decoder → text.
import PackageDescription

/// Loops over `[Float]` run markedly faster without bounds and exclusivity checks (measured on this project's machines);
/// only release builds get them, so debug builds and the tests keep every check.
let fastLoops: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

/// The numeric modules (front end, network, decoding, training) are optimised in debug builds too
/// (with every safety check kept): unoptimised, their loops run 20–50× slower, and the tests that
/// train and decode would take minutes instead of seconds.
let numericKernels: [SwiftSetting] = fastLoops + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Earshot",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "earshot", targets: ["earshot"]),
        .library(name: "EarshotIO", targets: ["EarshotIO"]),
        .library(name: "EarshotAudio", targets: ["EarshotAudio"]),
        .library(name: "EarshotFeatures", targets: ["EarshotFeatures"]),
        .library(name: "EarshotNN", targets: ["EarshotNN"]),
        .library(name: "EarshotDecoding", targets: ["EarshotDecoding"]),
        .library(name: "EarshotTraining", targets: ["EarshotTraining"]),
        .library(name: "EarshotMPI", targets: ["EarshotMPI"]),
        .library(name: "Earshot", targets: ["Earshot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation` (Scripts/check.sh); the toolchain's own docc does the work.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian; each is imported only by the one Swift module that wraps it.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // Writing files safely (temporary file, then rename; devices and pipes written through) and reading
        // them whole (pipes too), with the system's reason on failure; every module that touches files uses it.
        .target(name: "EarshotIO"),
        // Open MPI, loaded at run time (dlopen) when `mpirun` started the process: no build dependency.
        .target(name: "EarshotMPI"),
        .target(name: "EarshotAudio", dependencies: ["CSndFile", "EarshotIO"], swiftSettings: numericKernels),
        .target(name: "EarshotFeatures", dependencies: ["CFFTW", "EarshotIO"], swiftSettings: numericKernels),
        .target(name: "EarshotNN", dependencies: ["COpenBLAS", "EarshotIO"], swiftSettings: numericKernels),
        .target(name: "EarshotDecoding", dependencies: ["EarshotIO"], swiftSettings: numericKernels),
        .target(
            name: "Earshot",
            dependencies: ["EarshotIO", "EarshotAudio", "EarshotFeatures", "EarshotNN", "EarshotDecoding"],
            swiftSettings: numericKernels),
        .target(
            name: "EarshotTraining",
            dependencies: ["Earshot", "EarshotIO", "EarshotAudio", "EarshotFeatures", "EarshotNN", "EarshotDecoding"],
            swiftSettings: numericKernels),
        .executableTarget(
            name: "earshot",
            dependencies: [
                "Earshot", "EarshotIO", "EarshotAudio", "EarshotFeatures", "EarshotNN", "EarshotDecoding",
                "EarshotTraining", "EarshotMPI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fastLoops),
        .executableTarget(
            name: "earshot-bench",
            dependencies: [
                "Earshot", "EarshotAudio", "EarshotFeatures", "EarshotNN", "EarshotDecoding", "EarshotTraining",
                "EarshotMPI",
            ],
            swiftSettings: fastLoops),

        .target(name: "EarshotTestSupport", dependencies: ["EarshotFeatures"], path: "Tests/EarshotTestSupport"),
        .testTarget(name: "EarshotIOTests", dependencies: ["EarshotIO", "EarshotTestSupport"]),
        .testTarget(
            name: "EarshotAudioTests", dependencies: ["EarshotAudio", "EarshotTestSupport"]),
        .testTarget(
            name: "EarshotFeaturesTests", dependencies: ["EarshotFeatures", "EarshotAudio", "EarshotTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "EarshotNNTests", dependencies: ["EarshotNN", "EarshotIO", "EarshotTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "EarshotDecodingTests", dependencies: ["EarshotDecoding", "EarshotTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "EarshotTrainingTests",
            dependencies: ["EarshotTraining", "Earshot", "EarshotAudio", "EarshotDecoding", "EarshotTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "EarshotTests", dependencies: ["Earshot", "EarshotNN", "EarshotTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "EarshotCLITests",
            dependencies: ["earshot", "EarshotTestSupport", "EarshotFeatures", "EarshotAudio", "EarshotNN"],
            resources: [.copy("Fixtures")]),
    ]
)
