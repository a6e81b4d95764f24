public import WeirCore

/// One task's result rows for a checkpoint: absolute values for every day from `fromDay`
/// on, which replace what the task wrote for those days before.
public struct ActiveUsersPartial: Sendable {
    /// The input partition of the task (its users live only there).
    public var partition: Int32
    /// Rows of days before this were not changed and are kept.
    public var fromDay: Int
    public var report: ActiveUsersReport

    public init(partition: Int32, fromDay: Int, report: ActiveUsersReport) {
        self.partition = partition
        self.fromDay = fromDay
        self.report = report
    }
}

/// Keeps the results of the active-users operator in PostgreSQL, together with each task's
/// state chunks and input offsets, in one transaction per checkpoint.
///
/// Each task (one input partition, whose users live nowhere else) writes its own rows —
/// the first phase of the design's two-phase aggregation — and views sum them per day:
/// - `<table>_partials` (`topic, partition, day, events, dau, windows int[], counts bigint[]`);
/// - `<table>_retention_partials` (`topic, partition, cohort_day, age, users`);
/// - view `<table>` (`day, dau, wau, mau, events`; wau/mau are NULL when the 7/30-day window
///   is not configured), view `<table>_windows` (`day, window_days, users`) and view
///   `<table>_retention` (`cohort_day, age, users`).
///
/// Rows are absolute, so rewriting them after a replay from an older checkpoint gives the
/// same result: the state, the rows and the offsets always move together. A task writes
/// rows through its latest day plus the largest window minus one (its users still count
/// in those days' windows); the views stop at the last day that has events.
public final class PostgresActiveUsersSink {
    public let configuration: PostgresSinkConfiguration
    public let state: PostgresStateStore
    private let connection: PostgresConnection
    private let view: String
    private let windowsView: String
    private let retentionView: String
    private let partials: String
    private let retentionPartials: String
    private let offsets: PostgresOffsetStore
    private let deadLetters: PostgresDeadLetterTable
    private let topic: String

    /// Connects and creates the schema, tables and views when missing.
    public init(configuration: PostgresSinkConfiguration, topic: String, operatorName: String) throws(PostgresError) {
        self.configuration = configuration
        self.topic = topic
        let schema = configuration.schema
        let name = configuration.table.name
        view = configuration.table.qualified(in: schema)
        windowsView = try SQLIdentifier(name + "_windows").qualified(in: schema)
        retentionView = try SQLIdentifier(name + "_retention").qualified(in: schema)
        partials = try SQLIdentifier(name + "_partials").qualified(in: schema)
        retentionPartials = try SQLIdentifier(name + "_retention_partials").qualified(in: schema)
        offsets = try PostgresOffsetStore(schema: schema, consumerGroup: configuration.consumerGroup)
        deadLetters = PostgresDeadLetterTable(table: configuration.deadLetterTable.qualified(in: schema), topology: configuration.topology)
        state = try PostgresStateStore(schema: schema, consumerGroup: configuration.consumerGroup, operatorName: operatorName)
        connection = try PostgresConnection(url: configuration.url)
        try PostgresDDL.serialized(on: connection) { () throws(PostgresError) in try createTables() }
    }

    /// The tables holding this operator's results (for a reset; state rows are deleted by
    /// operator and group, see ``resetState()``).
    public var resultTables: [String] { [partials, retentionPartials] }

    /// The URL with its password masked.
    public var redactedURL: String { connection.redactedURL }

    private func createTables() throws(PostgresError) {
        try connection.execute("CREATE SCHEMA IF NOT EXISTS \(configuration.schema.quoted)")
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(partials) (
                topic text NOT NULL,
                partition integer NOT NULL,
                day date NOT NULL,
                events bigint NOT NULL,
                dau bigint NOT NULL,
                windows integer[] NOT NULL,
                counts bigint[] NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (topic, partition, day)
            )
            """, table: partials)
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(retentionPartials) (
                topic text NOT NULL,
                partition integer NOT NULL,
                cohort_day date NOT NULL,
                age integer NOT NULL,
                users bigint NOT NULL,
                PRIMARY KEY (topic, partition, cohort_day, age)
            )
            """, table: retentionPartials)
        try refuseForeignRelation(view, kind: "v")
        try connection.execute("""
            CREATE OR REPLACE VIEW \(view) AS
            SELECT day, sum(dau)::bigint AS dau,
                   sum(counts[array_position(windows, 7)])::bigint AS wau,
                   sum(counts[array_position(windows, 30)])::bigint AS mau,
                   sum(events)::bigint AS events
            FROM \(partials)
            WHERE day <= (SELECT max(day) FROM \(partials) WHERE events > 0)
            GROUP BY day
            """, table: view)
        try connection.execute("""
            CREATE OR REPLACE VIEW \(windowsView) AS
            SELECT day, w.window_days, sum(w.users)::bigint AS users
            FROM \(partials), unnest(windows, counts) AS w(window_days, users)
            WHERE day <= (SELECT max(day) FROM \(partials) WHERE events > 0)
            GROUP BY day, w.window_days
            """, table: windowsView)
        try connection.execute("""
            CREATE OR REPLACE VIEW \(retentionView) AS
            SELECT cohort_day, age, sum(users)::bigint AS users
            FROM \(retentionPartials) GROUP BY cohort_day, age
            """, table: retentionView)
        try offsets.create(on: connection)
        try deadLetters.create(on: connection)
        try state.create(on: connection)
    }

    /// A table (not a view) of the result's name, e.g. from a `daily_active_users` topology,
    /// is refused with a clear message rather than a PostgreSQL error.
    private func refuseForeignRelation(_ qualified: String, kind: String) throws(PostgresError) {
        let rows = try connection.execute(
            """
            SELECT c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2
            """,
            [.text(configuration.schema.name), .text(configuration.table.name)], table: qualified)
        if let found = rows.rows.first?.first ?? nil, found != kind {
            throw PostgresError(
                .schemaMismatch,
                "\(qualified) exists and is not the view this operator maintains (a daily_active_users table?); choose another aggregate.table",
                table: qualified)
        }
    }

    /// The stored next offsets of this consumer group for the topic.
    public func storedOffsets() throws(PostgresError) -> [TopicPartition: Int64] {
        try offsets.stored(topics: [topic], on: connection)
    }

    /// The committed state heads (and, when PostgreSQL keeps them, chunks) of `partitions`.
    public func storedState(partitions: [Int32], withChunks: Bool) throws(PostgresError) -> [Int32: StoredTaskState] {
        if !connection.isConnected { try connection.reconnect() }
        return try state.load(topic: topic, partitions: partitions, withChunks: withChunks, on: connection)
    }

    /// Writes every task's rows, state and offsets, and the dead letters, in one transaction
    /// (`keys`: the users and days the state chunks hold, for the checkpoint record):
    /// either everything is durable or nothing is. Throws `.fenced` when another member moved
    /// one of the partitions first.
    @discardableResult
    public func commit(
        partials rows: [ActiveUsersPartial], state writes: [TaskStateWrite], keys: Int, deadLetters letters: [DeadLetter],
        offsets moves: [TopicPartition: OffsetAdvance]
    ) throws(PostgresError) -> CommitStats {
        if !connection.isConnected { try connection.reconnect() }
        var stats = CommitStats(keys: keys, deadLetters: letters.count, partitions: moves.count, bytes: 0)
        try connection.transaction { () throws(PostgresError) in
            if !rows.isEmpty {
                // Each task's rows from its first changed day on are replaced, in both tables.
                var clearPartitions = PostgresArrayLiteral()
                var clearFrom = PostgresArrayLiteral()
                for partial in rows {
                    clearPartitions.append(partial.partition)
                    clearFrom.append(partial.fromDay)
                }
                let clear: [PostgresValue] = [.text(topic), .text(clearPartitions.finish()), .text(clearFrom.finish())]
                stats.bytes += try self.clear(partials, dayColumn: "day", clear)
                stats.bytes += try self.clear(retentionPartials, dayColumn: "cohort_day", clear)
            }
            stats.bytes += try writeDays(rows)
            stats.bytes += try writeCohorts(rows)
            stats.bytes += try state.write(writes, topic: topic, on: connection)
            stats.bytes += try deadLetters.insert(letters, on: connection)
            try offsets.advance(moves, on: connection)
            try offsets.record(moves, keys: stats.keys, bytes: stats.bytes, deadLetters: letters.count, on: connection)
        }
        return stats
    }

    /// Deletes `table`'s rows of the given (partition, from day) pairs, `clear` being the topic
    /// and the two arrays, from each pair's day on.
    private func clear(_ table: String, dayColumn: String, _ clear: [PostgresValue]) throws(PostgresError) -> Int {
        try connection.execute(
            """
            DELETE FROM \(table) r USING unnest($2::int[], $3::int[]) AS t(part, from_day)
            WHERE r.topic = $1 AND r.partition = t.part AND r.\(dayColumn) >= DATE '1970-01-01' + t.from_day
            """, clear, table: table)
        return clear.reduce(0) { $0 + $1.byteCount }
    }

    private func writeDays(_ rows: [ActiveUsersPartial]) throws(PostgresError) -> Int {
        var partitions = PostgresArrayLiteral()
        var days = PostgresArrayLiteral()
        var events = PostgresArrayLiteral()
        var dau = PostgresArrayLiteral()
        var counts = PostgresArrayLiteral()
        var windows = PostgresArrayLiteral()
        var stride = 0
        for partial in rows {
            for row in partial.report.days where row.day >= partial.fromDay {
                if stride == 0 {
                    stride = row.windowDays.count
                    for w in row.windowDays { windows.append(w) }
                }
                partitions.append(partial.partition)
                days.append(row.day)
                events.append(row.events)
                dau.append(row.dau)
                for c in row.windowCounts { counts.append(c) }
            }
        }
        guard stride > 0 else { return 0 }
        let insert: [PostgresValue] = [
            .text(topic), .text(windows.finish()), .text(partitions.finish()), .text(days.finish()),
            .text(events.finish()), .text(dau.finish()), .text(counts.finish()), .int(stride),
        ]
        try connection.execute(
            """
            INSERT INTO \(partials) (topic, partition, day, events, dau, windows, counts)
            SELECT $1, p, DATE '1970-01-01' + d, e, u, $2::int[], ($7::bigint[])[(i - 1) * $8::int + 1 : i * $8::int]
            FROM unnest($3::int[], $4::int[], $5::bigint[], $6::bigint[]) WITH ORDINALITY AS t(p, d, e, u, i)
            ORDER BY 2, 3
            """, insert, table: partials)
        return insert.reduce(0) { $0 + $1.byteCount }
    }

    private func writeCohorts(_ rows: [ActiveUsersPartial]) throws(PostgresError) -> Int {
        var partitions = PostgresArrayLiteral()
        var cohorts = PostgresArrayLiteral()
        var ages = PostgresArrayLiteral()
        var users = PostgresArrayLiteral()
        var any = false
        for partial in rows {
            for cell in partial.report.cohorts where cell.cohortDay >= partial.fromDay && cell.users != 0 {
                any = true
                partitions.append(partial.partition)
                cohorts.append(cell.cohortDay)
                ages.append(cell.age)
                users.append(cell.users)
            }
        }
        guard any else { return 0 }
        let insert: [PostgresValue] = [
            .text(topic), .text(partitions.finish()), .text(cohorts.finish()), .text(ages.finish()), .text(users.finish()),
        ]
        try connection.execute(
            """
            INSERT INTO \(retentionPartials) (topic, partition, cohort_day, age, users)
            SELECT $1, p, DATE '1970-01-01' + c, a, n FROM unnest($2::int[], $3::int[], $4::int[], $5::bigint[]) AS t(p, c, a, n)
            ORDER BY 2, 3, 4
            """, insert, table: retentionPartials)
        return insert.reduce(0) { $0 + $1.byteCount }
    }

    /// What `--reset-state` deletes besides the offsets: this topic's result rows and this
    /// operator's state of this consumer group (run in the registry's reset transaction).
    public var resetStatements: [PostgresStatement] {
        resultTables.map { PostgresStatement("DELETE FROM \($0) WHERE topic = $1", [.text(topic)], table: $0) }
            + state.deleteStatements
    }

    /// Reconnects after a failure (used by the retry loop).
    public func reconnect() throws(PostgresError) { try connection.reconnect() }
}
