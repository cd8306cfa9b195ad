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

/// A dependency of the speech server, built only with the Server trait (`swift build --traits Server`).
let serverOnly: TargetDependencyCondition? = .when(traits: ["Server"])
/// A dependency of `earshot plot`, built only with the Plot trait (`swift build --traits Plot`).
let plotOnly: TargetDependencyCondition? = .when(traits: ["Plot"])

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
        .library(name: "EarshotServer", targets: ["EarshotServer"]),
    ],
    traits: [
        // Off by default, so that `swift build` (README's first command) resolves and builds none of the server's
        // packages; `swift build --traits Server` adds `earshot serve` (see README, "earshot serve").
        .trait(
            name: "Server",
            description:
                "`earshot serve`: an HTTP (OpenAI transcription API) and WebSocket (Vosk protocol) speech server."),
        .trait(
            name: "Plot",
            description:
                "'earshot plot': pictures of what the model hears and of how training went, drawn with Cairo (apt-get install libcairo2-dev)."
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation` (Scripts/check.sh); the toolchain's own docc does the work.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // The server's packages, used only with the Server trait. Hummingbird without its default traits, which
        // would add swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C libraries from Debian; each is imported only by the one Swift module that wraps it.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // Earshot's own C kernels (int8 products with AVX-512 VNNI, AVX2 and scalar paths, chosen at run time);
        // imported only by EarshotNN. Optimised in debug builds too, and never with fused multiply–adds, so
        // every path rounds alike (see the header).
        .target(
            name: "CEarshotKernels",
            cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off"])]),
        // Cairo (libcairo2-dev) is needed only with the Plot trait (`swift build --traits Plot`): every source
        // file of EarshotDrawing and EarshotPlot is inside `#if Plot`, so without it they compile to empty
        // modules that import nothing, and the default build needs no Cairo.
        .systemLibrary(name: "CCairo"),

        // Writing files safely (temporary file, then rename; devices and pipes written through) and reading
        // them whole (pipes too), with the system's reason on failure; every module that touches files uses it.
        .target(name: "EarshotIO"),
        // Open MPI, loaded at run time (dlopen) when `mpirun` started the process: no build dependency.
        .target(name: "EarshotMPI"),
        .target(name: "EarshotAudio", dependencies: ["CSndFile", "EarshotIO"], swiftSettings: numericKernels),
        .target(name: "EarshotFeatures", dependencies: ["CFFTW", "EarshotIO"], swiftSettings: numericKernels),
        .target(
            name: "EarshotNN", dependencies: ["COpenBLAS", "CEarshotKernels", "EarshotIO"],
            swiftSettings: numericKernels),
        .target(name: "EarshotDecoding", dependencies: ["EarshotIO"], swiftSettings: numericKernels),
        .target(
            name: "Earshot",
            dependencies: ["EarshotIO", "EarshotAudio", "EarshotFeatures", "EarshotNN", "EarshotDecoding"],
            swiftSettings: numericKernels),
        // Drawing on a raster image with Cairo: rectangles, lines, text, heat maps through colour maps, PNG files.
        .target(name: "EarshotDrawing", dependencies: ["CCairo", "EarshotIO"]),
        .target(
            name: "EarshotTraining",
            dependencies: ["Earshot", "EarshotIO", "EarshotAudio", "EarshotFeatures", "EarshotNN", "EarshotDecoding"],
            swiftSettings: numericKernels),
        // The speech server. Every file is `#if Server`: without the trait this module is empty and needs nothing.
        .target(
            name: "EarshotServer",
            dependencies: [
                "Earshot", "EarshotAudio", "EarshotDecoding", "EarshotIO",
                .product(name: "Hummingbird", package: "hummingbird", condition: serverOnly),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket", condition: serverOnly),
                .product(name: "Prometheus", package: "swift-prometheus", condition: serverOnly),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: serverOnly),
                .product(name: "Logging", package: "swift-log", condition: serverOnly),
                .product(name: "NIOCore", package: "swift-nio", condition: serverOnly),
                .product(name: "NIOWebSocket", package: "swift-nio", condition: serverOnly),
            ],
            swiftSettings: fastLoops),
        // The figures of `earshot plot`: a clip (waveform, log-mel spectrogram, posteriorgram, words) and a
        // training run (loss, validation CER/WER, learning rate, skipped batches per epoch).
        .target(
            name: "EarshotPlot",
            dependencies: ["EarshotDrawing", "Earshot", "EarshotTraining"],
            swiftSettings: fastLoops),
        .executableTarget(
            name: "earshot",
            dependencies: [
                "Earshot", "EarshotIO", "EarshotAudio", "EarshotFeatures", "EarshotNN", "EarshotDecoding",
                "EarshotTraining", "EarshotMPI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .target(name: "EarshotServer", condition: serverOnly),
                .product(name: "Logging", package: "swift-log", condition: serverOnly),
                .product(name: "NIOCore", package: "swift-nio", condition: serverOnly),
                .product(name: "NIOWebSocket", package: "swift-nio", condition: serverOnly),
                .target(name: "EarshotPlot", condition: plotOnly),
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
        .testTarget(name: "EarshotDrawingTests", dependencies: ["EarshotDrawing", "EarshotTestSupport"]),
        .testTarget(
            name: "EarshotPlotTests",
            dependencies: ["EarshotPlot", "EarshotDrawing", "Earshot", "EarshotTraining", "EarshotTestSupport"]),
        .testTarget(
            name: "EarshotCLITests",
            dependencies: [
                "earshot", "EarshotTestSupport", "EarshotFeatures", "EarshotAudio", "Earshot", "EarshotNN",
                "EarshotTraining", "EarshotDrawing",
            ],
            resources: [.copy("Fixtures")]),
        // Runs the server on loopback with the shipped model; every file is `#if Server` (`swift test --traits Server`).
        .testTarget(
            name: "EarshotServerTests",
            dependencies: [
                // `earshot` itself for ServeCommandTests (run as a process).
                "EarshotServer", "Earshot", "EarshotTestSupport", "earshot",
                .product(name: "Logging", package: "swift-log", condition: serverOnly),
            ]),
    ]
)
