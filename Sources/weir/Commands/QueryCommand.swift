import ArgumentParser
import Foundation
import WeirCore
import WeirPostgres
import WeirTopology

/// `weir query ...`: reads aggregates from PostgreSQL.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Read aggregates from PostgreSQL.", subcommands: [DAU.self])

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    /// `weir query dau`.
    struct DAU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dau", abstract: "Print daily active users per day.")

        @Option(help: "PostgreSQL URL (default: $WEIR_POSTGRES_URL, else the embedded server of this checkout).")
        var postgres: String?

        @Option(help: "Read the URL, schema and table from this topology file.")
        var topology: String?

        @Option(help: "Schema of the DAU table.")
        var schema: String?

        @Option(help: "The DAU table.")
        var table: String?

        @Option(help: "First day, YYYY-MM-DD.")
        var from: String?

        @Option(help: "Last day, YYYY-MM-DD.")
        var to: String?

        @Option(help: "table, json or csv.")
        var format: Format = .table

        /// Accepted for scripts written when csv lacked the column; every format has it now.
        @Flag(help: .hidden)
        var events = false

        func run() throws {
            var url = postgres
            var schemaName = schema ?? "public"
            var tableName = table ?? "dau"
            if let topology {
                do {
                    let definition = try TopologyLoader.load(path: topology)
                    url = url ?? definition.sink.url
                    schemaName = schema ?? definition.sink.schema.name
                    tableName = table ?? definition.aggregate.table.name
                } catch {
                    Console.err("error: \(error)")
                    throw ExitCode(2)
                }
            }
            let fromDay = try from.map { text -> Int in
                guard let d = CivilDate.parseDay(text) else { throw ValidationError("--from must be YYYY-MM-DD, got '\(text)'") }
                return d
            }
            let toDay = try to.map { text -> Int in
                guard let d = CivilDate.parseDay(text) else { throw ValidationError("--to must be YYYY-MM-DD, got '\(text)'") }
                return d
            }
            let rows: [DayTotals]
            do {
                rows = try PostgresDailyActiveUsersReader.rows(
                    url: try DefaultPostgres.url(explicit: url), schema: SQLIdentifier(schemaName),
                    table: SQLIdentifier(tableName), from: fromDay, to: toDay)
            } catch let error as PostgresError {
                Console.err("error: \(error)")
                throw ExitCode(1)
            }
            Console.out(Self.render(rows, format: format, withEvents: true))
        }

        static func render(_ rows: [DayTotals], format: Format, withEvents: Bool) -> String {
            switch format {
            case .csv:
                var lines = [withEvents ? "day,dau,events" : "day,dau"]
                for r in rows {
                    lines.append("\(CivilDate.isoString(ofDay: r.day)),\(r.dau)" + (withEvents ? ",\(r.events)" : ""))
                }
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
