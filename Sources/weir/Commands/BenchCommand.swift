import ArgumentParser
import Foundation
import WeirCore

/// `weir bench ...`: measurements that print JSON (run from a release build).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks that print one JSON object.", subcommands: [DAU.self, HNSW.self])
}
