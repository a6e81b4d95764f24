import Testing
@testable import WeirTopology

/// `${NAME}` and `${NAME:-default}` in values read the environment given to the loader.
struct TopologyLoaderEnvironmentTests {
    func topology(bootstrap: String, environment: [String: String]) throws -> TopologyDefinition {
        let yaml = minimalTopology.replacingOccurrences(of: "bootstrap: broker:9092", with: "bootstrap: \"\(bootstrap)\"")
        return try TopologyLoader.parse(yaml: yaml, file: "env.yaml", environment: environment)
    }

    @Test(arguments: [
        ("${HOST}", ["HOST": "kafka"], "kafka"),
        ("${HOST}:${PORT}", ["HOST": "kafka", "PORT": "9093"], "kafka:9093"),
        ("tcp://${HOST}/x", ["HOST": "kafka"], "tcp://kafka/x"),
        ("${HOST:-localhost:9092}", [:], "localhost:9092"),
        ("${HOST:-localhost:9092}", ["HOST": "kafka:1"], "kafka:1"),
        ("${HOST:-localhost:9092}", ["HOST": ""], "localhost:9092"),
        ("${HOST:-}x", [:], "x"),
        ("no variables", ["HOST": "kafka"], "no variables"),
    ])
    func expansion(bootstrap: String, environment: [String: String], expected: String) throws {
        #expect(try topology(bootstrap: bootstrap, environment: environment).source.bootstrapServers == expected)
    }

    @Test func shippedDefaultsApplyWhenTheEnvironmentIsEmpty() throws {
        let t = try TopologyLoader.parse(yaml: try ShippedTopology.text, file: "p.yaml", environment: ["UNRELATED": "1"])
        #expect(t.source.bootstrapServers == "127.0.0.1:9092")
        #expect(t.sink.url == "postgresql://postgres@127.0.0.1:5432/weir")
    }

    @Test func unsetVariableWithoutDefault() throws {
        let yaml = minimalTopology.replacingOccurrences(of: "bootstrap: broker:9092", with: "bootstrap: ${KAFKA_HOST}")
        let error = try #require(parseError(yaml, environment: ["KAFKA_PORT": "1"]))
        #expect(error.code == .undefinedVariable)
        #expect(error.field == "source.kafka.bootstrap")
        #expect(error.line == 4)
        #expect(error.message.contains("KAFKA_HOST"))
    }

    @Test func unterminatedReference() {
        let yaml = minimalTopology.replacingOccurrences(of: "bootstrap: broker:9092", with: "bootstrap: \"${KAFKA_HOST\"")
        let error = parseError(yaml, environment: ["KAFKA_HOST": "x"])
        #expect(error?.code == .invalidValue)
        #expect(error?.field == "source.kafka.bootstrap")
    }

    @Test func numbersCanComeFromTheEnvironment() throws {
        let yaml = minimalTopology.replacingOccurrences(
            of: "    url: postgresql://db/weir", with: "    url: postgresql://db/weir\n    commit_interval_ms: ${COMMIT_MS:-2000}")
        #expect(try TopologyLoader.parse(yaml: yaml, file: "e.yaml").sink.commitIntervalMilliseconds == 2000)
        #expect(try TopologyLoader.parse(yaml: yaml, file: "e.yaml", environment: ["COMMIT_MS": "300"]).sink.commitIntervalMilliseconds == 300)
        #expect(parseError(yaml, environment: ["COMMIT_MS": "3"])?.code == .invalidValue)
    }
}
