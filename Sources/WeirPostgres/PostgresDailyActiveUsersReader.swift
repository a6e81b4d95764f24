public import WeirCore

/// Reads the DAU rows that ``PostgresDailyActiveUsersSink`` maintains.
public enum PostgresDailyActiveUsersReader {
    /// The rows of `schema.table` with `from <= day <= to` (days since the epoch; `nil` is open), in day order.
    public static func rows(
        url: String, schema: SQLIdentifier, table: SQLIdentifier, from: Int?, to: Int?
    ) throws(PostgresError) -> [DayTotals] {
        let connection = try PostgresConnection(url: url)
        let qualified = table.qualified(in: schema)
        let result = try connection.execute(
            """
            SELECT (day - DATE '1970-01-01')::int, dau, events FROM \(qualified)
            WHERE ($1::int IS NULL OR day >= DATE '1970-01-01' + $1::int)
              AND ($2::int IS NULL OR day <= DATE '1970-01-01' + $2::int)
            ORDER BY day
            """,
            [from.map { .int($0) } ?? .null, to.map { .int($0) } ?? .null], table: qualified)
        return result.rows.compactMap { row in
            guard let d = row[0].flatMap({ Int($0) }), let dau = row[1].flatMap({ Int64($0) }),
                let events = row[2].flatMap({ Int64($0) })
            else { return nil }
            return DayTotals(day: d, dau: dau, events: events)
        }
    }
}
