/// Test kit: the row key of an upsert table of window results.
public struct WindowRowKey<Key: Hashable & Sendable>: Sendable, Hashable, CustomStringConvertible {
    /// The window.
    public var window: Window
    /// The group key.
    public var key: Key

    /// A row key.
    public init(window: Window, key: Key) {
        self.window = window
        self.key = key
    }

    /// A one-line summary for logs and test failures.
    public var description: String { "\(window) \(key)" }
}

/// Test kit: an in-memory sink that applies a window operator's output like an upsert
/// table would, and keeps the late output and the full emission log for assertions.
public struct InMemoryWindowSink<Key: Hashable & Sendable, Value, Partial: MergeableAggregate> {
    /// The current table: one row per (window, key), the latest upsert.
    public private(set) var rows: [WindowRowKey<Key>: WindowResult<Key, Partial>] = [:]
    /// Every record the operator refused, with its reason, in order.
    public private(set) var late: [LateRecord<Key, Value>] = []
    /// Every emission in the order it was applied.
    public private(set) var log: [WindowEmission<Key, Partial>] = []
    /// Retractions of rows that were not in the table (a bug in the operator if ever > 0).
    public private(set) var retractionsOfMissingRows = 0

    /// An empty sink.
    public init() {}

    /// Applies an operator's output, in order, and keeps its late records.
    public mutating func apply(_ output: WindowOutput<Key, Value, Partial>) {
        for emission in output.emissions {
            log.append(emission)
            switch emission {
            case .upsert(let result):
                rows[WindowRowKey(window: result.window, key: result.key)] = result
            case .retract(let window, let key):
                if rows.removeValue(forKey: WindowRowKey(window: window, key: key)) == nil { retractionsOfMissingRows += 1 }
            }
        }
        late.append(contentsOf: output.late)
    }

    /// Forgets the emission log (the table and late output stay).
    public mutating func clearLog() { log.removeAll() }
}

extension InMemoryWindowSink: Sendable where Value: Sendable {}
