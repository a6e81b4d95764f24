import Testing
import WeirCore
@testable import WeirTopology

/// The `active_users` aggregate and its `state` section.
struct TopologyLoaderActiveUsersTests {
    static func yaml(aggregate: String, state: String = "") -> String {
        """
        name: au
        source:
          kafka:
            bootstrap: broker:9092
            topic: clicks
        events: {}
        aggregate:
        \(aggregate)
        \(state)
        sink:
          postgres:
            url: postgresql://db/weir
        """
    }

    @Test func defaultsAreDauWauMauInPostgres() throws {
        let t = try TopologyLoader.parse(yaml: Self.yaml(aggregate: "  kind: active_users"), file: "au.yaml")
        let p = try #require(t.activeUsers)
        #expect(t.aggregate.table.name == "active_users")
        #expect(p.configuration.windows == [1, 7, 30])
        #expect(p.stateStore == .postgres)
        #expect(p.requireUserKey)
    }

    @Test func localStoreAndCustomWindows() throws {
        let t = try TopologyLoader.parse(
            yaml: Self.yaml(
                aggregate: "  kind: active_users\n  windows: [1, 14, 28]\n  allowed_lateness_days: 7\n  retention_days: 10\n  require_user_key: false",
                state: "state:\n  store: local\n  directory: /var/lib/weir\n  full_snapshot_ratio: 2.5\n  max_deltas_per_full: 9"),
            file: "au.yaml")
        let p = try #require(t.activeUsers)
        #expect(p.configuration.windows == [1, 14, 28])
        #expect(p.configuration.allowedLatenessDays == 7)
        #expect(p.configuration.maxRetentionAge == 10)
        #expect(!p.requireUserKey)
        #expect(p.stateStore == .local(directory: "/var/lib/weir"))
        #expect(p.fullSnapshotRatio == 2.5)
        #expect(p.maxDeltasPerFull == 9)
    }

    @Test(arguments: [
        ("  kind: active_users\n  windows: [1, 7, 90]", "", "aggregate.windows"),
        ("  kind: active_users\n  windows: [1, 60]\n  allowed_lateness_days: 10", "", "aggregate.windows"),
        ("  kind: active_users\n  windows: [seven]", "", "aggregate.windows"),
        ("  kind: active_users\n  require_user_key: maybe", "", "aggregate.require_user_key"),
        ("  kind: active_users", "state:\n  store: local", "state.directory"),
        ("  kind: active_users", "state:\n  store: s3", "state.store"),
        ("  kind: active_users", "state:\n  directory: /x", "state.directory"),
        ("  kind: active_users", "state:\n  full_snapshot_ratio: 0", "state.full_snapshot_ratio"),
        ("  kind: daily_active_users", "state:\n  store: postgres", "state"),
        ("  kind: active_users\n  windws: [1]", "", "aggregate.windws"),
    ])
    func refusals(aggregate: String, state: String, field: String) {
        let error = parseError(Self.yaml(aggregate: aggregate, state: state))
        #expect(error != nil)
        #expect(error?.field == field, "\(String(describing: error))")
    }
}
