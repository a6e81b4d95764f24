import WeirCore
import Yams

/// The parts of `active_users` topologies:
/// ```yaml
/// aggregate:
///   kind: active_users
///   table: active_users        # views active_users (day, dau, wau, mau, events),
///                              # active_users_windows and active_users_retention
///   windows: [1, 7, 30]        # N-day windows counted for every day (1 = DAU)
///   allowed_lateness_days: 34  # older events are dead-lettered as late_event
///   retention_days: 30         # cohort ages tracked
///   require_user_key: true     # dead-letter records whose Kafka key is not the user id
/// state:
///   store: postgres            # or local (needs directory)
///   directory: .weir/state/product-analytics
///   full_snapshot_ratio: 1.0   # write a full snapshot once the deltas outgrow it
///   max_deltas_per_full: 200
/// ```
extension TopologyLoader {
    static let activeUsersAggregateKeys = [
        "kind", "table", "windows", "allowed_lateness_days", "retention_days", "require_user_key",
    ]

    static func activeUsersPipeline(aggregate: YAMLObject, top: YAMLObject) throws(TopologyError) -> TopologyDefinition.ActiveUsersPipeline {
        let windows = try intList(aggregate, "windows") ?? [1, 7, 30]
        let lateness = try aggregate.int("allowed_lateness_days", range: 0...63)
        let retention = try aggregate.int("retention_days", range: 0...3_660) ?? 30
        let configuration: ActiveUsersConfiguration
        do {
            configuration = try ActiveUsersConfiguration(windows: windows, allowedLatenessDays: lateness, maxRetentionAge: retention)
        } catch {
            throw aggregate.error(.invalidValue, error.description, key: "windows", at: aggregate.value("windows"))
        }
        let requireUserKey = try bool(aggregate, "require_user_key") ?? true

        var store = TopologyDefinition.StateStoreChoice.postgres
        var ratio = 1.0
        var maxDeltas = 200
        if let state = try top.object("state") {
            try state.rejectUnknownKeys(["store", "directory", "full_snapshot_ratio", "max_deltas_per_full"])
            let kind = try state.string("store") ?? "postgres"
            switch kind {
            case "postgres":
                if state.value("directory") != nil {
                    throw state.error(.invalidValue, "'directory' is only used with store: local", key: "directory", at: state.value("directory"))
                }
            case "local":
                store = .local(directory: try state.requireString("directory"))
            default:
                throw state.error(.invalidValue, "expected 'postgres' or 'local', got '\(kind)'", key: "store", at: state.value("store"))
            }
            if let text = try state.string("full_snapshot_ratio") {
                guard let value = Double(text), value > 0, value <= 100 else {
                    throw state.error(.invalidValue, "expected a number in (0, 100], got '\(text)'", key: "full_snapshot_ratio", at: state.value("full_snapshot_ratio"))
                }
                ratio = value
            }
            maxDeltas = try state.int("max_deltas_per_full", range: 1...100_000) ?? maxDeltas
        }
        return TopologyDefinition.ActiveUsersPipeline(
            configuration: configuration, requireUserKey: requireUserKey, stateStore: store,
            fullSnapshotRatio: ratio, maxDeltasPerFull: maxDeltas)
    }

    /// A YAML list of whole numbers (`[1, 7, 30]`), or one number.
    static func intList(_ object: YAMLObject, _ key: String) throws(TopologyError) -> [Int]? {
        guard let node = object.value(key) else { return nil }
        let items: [Node]
        if let sequence = node.sequence {
            items = Array(sequence)
        } else {
            items = [node]
        }
        var result: [Int] = []
        for item in items {
            guard let scalar = item.scalar else {
                throw object.error(.invalidValue, "expected a list of whole numbers such as [1, 7, 30]", key: key, at: item)
            }
            let text = try object.expand(scalar.string, key: key, node: item)
            guard let value = Int(text.replacingUnderscores()) else {
                throw object.error(.invalidValue, "expected a whole number, got '\(text)'", key: key, at: item)
            }
            result.append(value)
        }
        return result
    }

    static func bool(_ object: YAMLObject, _ key: String) throws(TopologyError) -> Bool? {
        guard let text = try object.string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            throw object.error(.invalidValue, "expected true or false, got '\(text)'", key: key, at: object.value(key))
        }
    }
}
