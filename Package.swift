// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "weir",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "weir", targets: ["weir"]),
        .library(name: "WeirCore", targets: ["WeirCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // C libraries, each wrapped by exactly one Swift module.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),

        // The engine: no I/O, no C.
        .target(name: "WeirCore", swiftSettings: strictSettings),

        // Connectors.
        .target(
            name: "WeirKafka",
            dependencies: ["CRdKafka", "WeirCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WeirPostgres",
            dependencies: ["CLibPQ", "WeirCore"],
            swiftSettings: strictSettings
        ),

        // Vectors: HNSW index, SIMD distances, embedders (the HTTP one uses FoundationNetworking).
        .target(
            name: "WeirVector",
            dependencies: ["WeirCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),

        // Topology files and the runtime that wires sources, operators and sinks.
        .target(
            name: "WeirTopology",
            dependencies: [
                "WeirCore", "WeirKafka", "WeirPostgres", "WeirVector",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),

        // HTTP: vector search and aggregate endpoints, Prometheus /metrics.
        .target(
            name: "WeirServer",
            dependencies: [
                "WeirCore", "WeirVector",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),

        // The CLI.
        .executableTarget(
            name: "weir",
            dependencies: [
                "WeirCore", "WeirKafka", "WeirPostgres", "WeirTopology", "WeirVector", "WeirServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),

        .testTarget(name: "WeirCoreTests", dependencies: ["WeirCore"], swiftSettings: strictSettings),
        .testTarget(name: "WeirVectorTests", dependencies: ["WeirVector", "WeirCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "WeirTopologyTests",
            dependencies: ["WeirTopology", "WeirCore"],
            swiftSettings: strictSettings
        ),
        // Tests against real services: PostgreSQL from scripts/postgres, librdkafka's mock cluster.
        .testTarget(
            name: "WeirIntegrationTests",
            dependencies: [
                "WeirCore", "WeirKafka", "WeirPostgres", "WeirTopology", "WeirVector", "WeirServer",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
