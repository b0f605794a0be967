// swift-tools-version: 6.1
// DoseCal: occupational dose statistics and alert-threshold calibration for interventionalists.
//
// Layers, arrows pointing one way (see README "Architecture"):
//   numerical core  DoseCalNumerics  (+ _LAPACKEShims; with _EngineShims' prefetch hint, the only C)
//   domain          DoseCalDomain
//   edges           DoseCalCSV, DoseCalDICOM, DoseCalStore, DoseCalReports
//   CLI             DoseCalCLI (commands) and the `dosecal` executable
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "DoseCal",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dosecal", targets: ["dosecal"]),
        .library(name: "DoseCalNumerics", targets: ["DoseCalNumerics"]),
        .library(name: "DoseCalDomain", targets: ["DoseCalDomain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Numerical core: no I/O.
        .systemLibrary(
            name: "_LAPACKEShims",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        .target(name: "DoseCalNumerics", dependencies: ["_LAPACKEShims"], swiftSettings: strict),
        // Domain: records, indicators, alerts, calibration, threshold versions. Pure.
        .target(name: "DoseCalDomain", dependencies: ["DoseCalNumerics"], swiftSettings: strict),
        // Edges.
        .target(name: "DoseCalCSV", dependencies: ["DoseCalDomain"], swiftSettings: strict),
        .target(name: "DoseCalDICOM", dependencies: ["DoseCalDomain"], swiftSettings: strict),
        .target(
            name: "DoseCalStore",
            dependencies: ["DoseCalDomain", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(name: "DoseCalReports", dependencies: ["DoseCalDomain", "DoseCalNumerics"], swiftSettings: strict),
        // The streaming engine for the direct-file path at national scale (SPEC §10).
        // A prefetch hint for the engine's key table (header only).
        .systemLibrary(name: "_EngineShims"),
        .target(name: "DoseCalEngine", dependencies: ["DoseCalDomain", "DoseCalCSV", "_EngineShims"], swiftSettings: strict),
        // CLI.
        .target(
            name: "DoseCalCLI",
            dependencies: [
                "DoseCalNumerics", "DoseCalDomain", "DoseCalCSV", "DoseCalDICOM",
                "DoseCalStore", "DoseCalReports", "DoseCalEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "dosecal", dependencies: ["DoseCalCLI"], swiftSettings: strict),
        // Synthetic datasets of any size for the benchmark (not part of the product).
        .executableTarget(name: "dosecal-synth", dependencies: ["DoseCalDomain", "DoseCalCSV"], path: "Sources/DoseCalSynth", swiftSettings: strict),

        .testTarget(
            name: "DoseCalNumericsTests",
            dependencies: ["DoseCalNumerics", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DoseCalDomainTests",
            dependencies: ["DoseCalDomain", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        .testTarget(name: "DoseCalCSVTests", dependencies: ["DoseCalCSV"], swiftSettings: strict),
        .testTarget(name: "DoseCalDICOMTests", dependencies: ["DoseCalDICOM"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "DoseCalStoreTests", dependencies: ["DoseCalStore", "DoseCalCSV"], swiftSettings: strict),
        .testTarget(name: "DoseCalReportsTests", dependencies: ["DoseCalReports"], swiftSettings: strict),
        .testTarget(name: "DoseCalEngineTests", dependencies: ["DoseCalEngine", "DoseCalCSV", "_EngineShims"], swiftSettings: strict),
        .testTarget(name: "DoseCalCLITests", dependencies: ["DoseCalCLI"], swiftSettings: strict),
    ]
)
