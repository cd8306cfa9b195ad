// swift-tools-version: 6.1
// Earshot's fuzz harness: one libFuzzer executable whose target (a parser) is chosen by the environment
// variable EARSHOT_FUZZ_TARGET. Built and run by Scripts/fuzz.sh; see FUZZING.md at the repository root.
// A package of its own, so the root package's default `swift build` is unchanged.
import PackageDescription

let package = Package(
    name: "EarshotFuzz",
    platforms: [.macOS(.v13)],
    // With the Server trait, for the server's request parsers (EarshotServer and the packages it builds on).
    dependencies: [.package(name: "Earshot", path: "../..", traits: ["Server"])],
    targets: [
        // libFuzzer's driver and Linux calls the Glibc module lacks (memfd, pipe capacity).
        .systemLibrary(name: "CFuzzSupport"),
        .executableTarget(
            name: "earshot-fuzz",
            dependencies: [
                "CFuzzSupport",
                .product(name: "EarshotAudio", package: "Earshot"),
                .product(name: "EarshotNN", package: "Earshot"),
                .product(name: "EarshotDecoding", package: "Earshot"),
                .product(name: "EarshotTraining", package: "Earshot"),
                .product(name: "Earshot", package: "Earshot"),
                .product(name: "EarshotServer", package: "Earshot"),
            ],
            // Optimised like the library modules' debug builds (which keep every safety check).
            swiftSettings: [.unsafeFlags(["-O"])]),
    ]
)
