import ArgumentParser
import Foundation
import WeirCore
import WeirPostgres
import WeirTopology

/// `weir query ...`: reads aggregates from PostgreSQL.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Read aggregates from PostgreSQL.", subcommands: [DAU.self, ActiveUsersQuery.self, RetentionQuery.self])

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    /// `weir query dau`.
    struct DAU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dau", abstract: "Print daily active users per day.")

        @OptionGroup var target: QueryTarget

        @Option(help: "table, json or csv.")
        var format: Format = .table

        /// Accepted for scripts written when csv lacked the column; every format has it now.
        @Flag(help: .hidden)
        var events = false

        func run() throws {
            let rows = try target.read(defaultTable: "dau") { t in
                try PostgresDailyActiveUsersReader.rows(url: t.url, schema: t.schema, table: t.table, from: t.from, to: t.to)
            }
            Console.out(Self.render(rows, format: format))
        }

        static func render(_ rows: [DayTotals], format: Format) -> String {
            switch format {
            case .csv:
                var lines = ["day,dau,events"]
                for r in rows { lines.append("\(CivilDate.isoString(ofDay: r.day)),\(r.dau),\(r.events)") }
                return lines.joined(separator: "\n")
            case .json:
                let items = rows.map { "{\"day\":\"\(CivilDate.isoString(ofDay: $0.day))\",\"dau\":\($0.dau),\"events\":\($0.events)}" }
                return "[" + items.joined(separator: ",") + "]"
            case .table:
                var lines = ["day         |        dau |       events", "------------+------------+-------------"]
                for r in rows {
                    let dau = Console.grouped(r.dau)
                    let events = Console.grouped(r.events)
                    lines.append(
                        "\(CivilDate.isoString(ofDay: r.day))  | \(String(repeating: " ", count: max(0, 10 - dau.count)))\(dau) | \(String(repeating: " ", count: max(0, 12 - events.count)))\(events)")
                }
                lines.append("(\(rows.count) day\(rows.count == 1 ? "" : "s"))")
                return lines.joined(separator: "\n")
            }
        }
    }
}
