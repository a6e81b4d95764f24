public import WeirCore

/// Reads what ``PostgresActiveUsersSink`` maintains: per-day active users and retention.
public enum PostgresActiveUsersReader {
    /// One day of the `<table>` view.
    public struct Day: Sendable, Equatable {
        public var day: Int
        public var dau: Int64
        /// Nil when the 7-day window is not configured.
        public var wau: Int64?
        /// Nil when the 30-day window is not configured.
        public var mau: Int64?
        public var events: Int64
    }

    /// The rows of view `schema.table` with `from <= day <= to` (days since the epoch; nil
    /// is open), in day order.
    public static func days(url: String, schema: SQLIdentifier, table: SQLIdentifier, from: Int?, to: Int?) throws(PostgresError) -> [Day] {
        let connection = try PostgresConnection(url: url)
        let qualified = table.qualified(in: schema)
        let result = try connection.execute(
            """
            SELECT (day - DATE '1970-01-01')::int, dau, wau, mau, events FROM \(qualified)
            WHERE ($1::int IS NULL OR day >= DATE '1970-01-01' + $1::int)
              AND ($2::int IS NULL OR day <= DATE '1970-01-01' + $2::int)
            ORDER BY day
            """,
            [from.map { .int($0) } ?? .null, to.map { .int($0) } ?? .null], table: qualified)
        return result.rows.compactMap { row in
            guard let d = row[0].flatMap({ Int($0) }), let dau = row[1].flatMap({ Int64($0) }),
                let events = row[4].flatMap({ Int64($0) })
            else { return nil }
            return Day(day: d, dau: dau, wau: row[2].flatMap { Int64($0) }, mau: row[3].flatMap { Int64($0) }, events: events)
        }
    }

    /// The retention cells of view `schema.table_retention`, by cohort day and age.
    public static func retention(url: String, schema: SQLIdentifier, table: SQLIdentifier, from: Int?, to: Int?) throws(PostgresError) -> [ActiveUsersCohortRow] {
        let connection = try PostgresConnection(url: url)
        let qualified = try SQLIdentifier(table.name + "_retention").qualified(in: schema)
        let result = try connection.execute(
            """
            SELECT (cohort_day - DATE '1970-01-01')::int, age, users FROM \(qualified)
            WHERE ($1::int IS NULL OR cohort_day >= DATE '1970-01-01' + $1::int)
              AND ($2::int IS NULL OR cohort_day <= DATE '1970-01-01' + $2::int)
            ORDER BY 1, 2
            """,
            [from.map { .int($0) } ?? .null, to.map { .int($0) } ?? .null], table: qualified)
        return result.rows.compactMap { row in
            guard let c = row[0].flatMap({ Int($0) }), let a = row[1].flatMap({ Int($0) }), let u = row[2].flatMap({ Int64($0) }) else { return nil }
            return ActiveUsersCohortRow(cohortDay: c, age: a, users: u)
        }
    }
}
