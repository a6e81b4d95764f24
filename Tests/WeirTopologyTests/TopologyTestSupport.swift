import Foundation
@testable import WeirTopology

/// The shipped product-analytics topology, found from this source file's location.
enum ShippedTopology {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("topologies/product-analytics.yaml").path

    static var text: String {
        get throws { try String(contentsOfFile: path, encoding: .utf8) }
    }

    /// The shipped text with one line replaced; fails if `line` is not in the file exactly once.
    static func replacing(_ line: String, with replacement: String) throws -> String {
        let original = try text
        let parts = original.components(separatedBy: line + "\n")
        guard parts.count == 2 else { throw TestSetupError(message: "'\(line)' is not a line of \(path)") }
        return parts.joined(separator: replacement.isEmpty ? "" : replacement + "\n")
    }

    /// The 1-based line number of the first line starting with `prefix`.
    static func lineNumber(startingWith prefix: String) throws -> Int {
        let lines = try text.components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.hasPrefix(prefix) }) else {
            throw TestSetupError(message: "no line starts with '\(prefix)'")
        }
        return index + 1
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Parses `yaml`, returning the error instead of throwing it.
func parseError(_ yaml: String, file: String = "test.yaml", environment: [String: String] = [:]) -> TopologyError? {
    do {
        _ = try TopologyLoader.parse(yaml: yaml, file: file, environment: environment)
        return nil
    } catch {
        return error
    }
}

/// A minimal valid topology: only the required fields.
let minimalTopology = """
    name: minimal
    source:
      kafka:
        bootstrap: broker:9092
        topic: clicks
    aggregate:
      kind: daily_active_users
    events: {}
    sink:
      postgres:
        url: postgresql://db/weir
    """
