import Testing
@testable import WeirTopology

/// Every problem in a topology file is reported with its code, file, line and field.
struct TopologyLoaderErrorTests {
    /// The error from the shipped file with one line replaced (or removed, with "").
    func errorAfterReplacing(_ line: String, with replacement: String) throws -> TopologyError {
        let yaml = try ShippedTopology.replacing(line, with: replacement)
        return try #require(parseError(yaml, file: "product-analytics.yaml"), "no error after replacing '\(line)'")
    }

    @Test func typoedKeyIsAnUnknownFieldWithASuggestion() throws {
        let error = try errorAfterReplacing("    topic: events", with: "    topc: events")
        #expect(error.code == .unknownField)
        #expect(error.file == "product-analytics.yaml")
        #expect(error.line == (try ShippedTopology.lineNumber(startingWith: "    topic:")))
        #expect(error.column == 5)
        #expect(error.field == "source.kafka.topc")
        #expect(error.message.contains("did you mean 'topic'?"))
        #expect(error.description.hasPrefix("product-analytics.yaml:\(error.line!):5: source.kafka.topc: unknown field 'topc'"))
    }

    @Test func unrelatedUnknownKeyGetsNoSuggestion() throws {
        let error = try errorAfterReplacing("  format: json", with: "  format: json\n  compression_codec: zstd")
        #expect(error.code == .unknownField)
        #expect(error.field == "events.compression_codec")
        #expect(error.line == (try ShippedTopology.lineNumber(startingWith: "  format: json")) + 1)
        #expect(!error.message.contains("did you mean"))
        #expect(error.message.contains("expected one of: format, user_id, timestamp"))
    }

    @Test func unknownTopLevelSection() {
        let error = parseError(minimalTopology + "\nsinks: {}\n")
        #expect(error?.code == .unknownField)
        #expect(error?.field == "sinks")
        #expect(error?.message.contains("did you mean 'sink'?") == true)
    }

    @Test(arguments: [
        ("    topic: events", "source.kafka.topic"),
        ("    bootstrap: ${WEIR_BOOTSTRAP:-127.0.0.1:9092}", "source.kafka.bootstrap"),
        ("    url: ${WEIR_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/weir}", "sink.postgres.url"),
        ("  kind: active_users", "aggregate.kind"),
        ("name: product-analytics", "name"),
    ])
    func missingRequiredField(line: String, field: String) throws {
        let error = try errorAfterReplacing(line, with: "")
        #expect(error.code == .missingField)
        #expect(error.field == field)
        #expect(error.file == "product-analytics.yaml")
        #expect(error.line != nil)
        #expect(error.message.contains("required field"))
    }

    @Test func missingSection() {
        let yaml = minimalTopology.replacingOccurrences(of: "events: {}", with: "")
        #expect(parseError(yaml)?.code == .missingField)
        #expect(parseError(yaml)?.field == "events")
    }

    @Test(arguments: [
        ("  table: active_users       # views active_users (day, dau, wau, mau, events),", "  table: dau; drop table x", "aggregate.table"),
        ("  table: active_users       # views active_users (day, dau, wau, mau, events),", "  table: 1dau", "aggregate.table"),
        ("    schema: public", "    schema: \"\"", "sink.postgres.schema"),
        ("    start: earliest          # where a partition with no stored offset begins", "    start: beginning", "source.kafka.start"),
        ("  min_timestamp: 2000-01-01T00:00:00Z   # earlier events are dead-lettered as absurd", "  min_timestamp: 2000-01-01", "events.min_timestamp"),
        ("  min_timestamp: 2000-01-01T00:00:00Z   # earlier events are dead-lettered as absurd", "  min_timestamp: yesterday", "events.min_timestamp"),
        ("    commit_interval_ms: 1000        # results, state chunks, dead letters and offsets commit together", "    commit_interval_ms: 5", "sink.postgres.commit_interval_ms"),
        ("    commit_interval_ms: 1000        # results, state chunks, dead letters and offsets commit together", "    commit_interval_ms: 600001", "sink.postgres.commit_interval_ms"),
        ("    commit_interval_ms: 1000        # results, state chunks, dead letters and offsets commit together", "    commit_interval_ms: soon", "sink.postgres.commit_interval_ms"),
        ("    max_pending_events: 500000", "    max_pending_events: 0", "sink.postgres.max_pending_events"),
        ("  max_message_bytes: 1048576", "  max_message_bytes: 10", "events.max_message_bytes"),
        ("  format: json", "  format: avro", "events.format"),
        ("  kind: active_users", "  kind: weekly_active_users", "aggregate.kind"),
        ("  user_id: properties.user_id       # dotted path into the JSON payload", "  user_id: properties..user_id", "events.user_id"),
        ("    topic: events", "    topic: [a, b]", "source.kafka.topic"),
        ("    topic: events", "    topic: \"\"", "source.kafka.topic"),
    ])
    func invalidValue(line: String, replacement: String, field: String) throws {
        let error = try errorAfterReplacing(line, with: replacement)
        #expect(error.code == .invalidValue)
        #expect(error.field == field)
        #expect(error.line == (try ShippedTopology.lineNumber(startingWith: line)))
    }

    @Test func outOfRangeMessageNamesTheRange() throws {
        let error = try errorAfterReplacing(
            "    commit_interval_ms: 1000        # results, state chunks, dead letters and offsets commit together",
            with: "    commit_interval_ms: 5")
        #expect(error.message.contains("10...600000"))
        #expect(error.message.contains("'5'"))
    }

    @Test func sectionThatIsNotAMapping() {
        let error = parseError(minimalTopology.replacingOccurrences(of: "events: {}", with: "events: json"))
        #expect(error?.code == .invalidValue)
        #expect(error?.field == "events")
    }

    @Test func yamlSyntaxErrorHasALine() throws {
        let error = try errorAfterReplacing("    topic: events", with: "    topic: [events")
        #expect(error.code == .syntax)
        #expect(error.file == "product-analytics.yaml")
        let line = try #require(error.line)
        #expect(line >= (try ShippedTopology.lineNumber(startingWith: "    topic:")))
        #expect(error.message.contains("invalid YAML"))
    }

    @Test func badIndentationIsASyntaxError() {
        let error = parseError("name: x\nsource:\n  kafka:\n    topic: a\n   group: b\n")
        #expect(error?.code == .syntax)
        #expect(error?.line == 5)
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n"])
    func emptyFileIsASyntaxError(yaml: String) {
        let error = parseError(yaml, file: "empty.yaml")
        #expect(error?.code == .syntax)
        #expect(error?.file == "empty.yaml")
    }

    @Test func topLevelListIsRejected() {
        #expect(parseError("- name: x\n")?.code == .invalidValue)
    }

    @Test func editDistance() {
        #expect(WeirTopology.editDistance("topc", "topic") == 1)
        #expect(WeirTopology.editDistance("", "sink") == 4)
        #expect(WeirTopology.editDistance("kitten", "sitting") == 3)
        #expect(WeirTopology.editDistance("same", "same") == 0)
    }
}
