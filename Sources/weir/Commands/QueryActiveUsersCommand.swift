import ArgumentParser
import WeirCore
import WeirPostgres
import WeirTopology

/// Where a `weir query` subcommand reads from: a topology file and/or explicit options.
struct QueryTarget: ParsableArguments {
    @Option(help: "PostgreSQL URL (default: $WEIR_POSTGRES_URL, else the embedded server of this checkout).")
    var postgres: String?

    @Option(help: "Read the URL, schema and table from this topology file.")
    var topology: String?

    @Option(help: "Schema of the result.")
    var schema: String?

    @Option(help: "The result table or view.")
    var table: String?

    @Option(help: "First day, YYYY-MM-DD.")
    var from: String?

    @Option(help: "Last day, YYYY-MM-DD.")
    var to: String?

    /// What a query reads: the resolved options.
    typealias Resolved = (url: String, schema: SQLIdentifier, table: SQLIdentifier, from: Int?, to: Int?)

    /// Resolves the options and runs `read` with them; a failure to read is printed and
    /// exits 1.
    func read<R>(defaultTable: String, _ read: (Resolved) throws -> R) throws -> R {
        let t = try resolve(defaultTable: defaultTable)
        do {
            return try read(t)
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// URL, schema, table and day range, with the topology's values where no option is given.
    func resolve(defaultTable: String) throws -> Resolved {
        var url = postgres
        var schemaName = schema ?? "public"
        var tableName = table ?? defaultTable
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
        return (try DefaultPostgres.url(explicit: url), try SQLIdentifier(schemaName), try SQLIdentifier(tableName), fromDay, toDay)
    }
}

extension QueryCommand {
    /// `weir query active-users`: DAU, WAU, MAU and events per day.
    struct ActiveUsersQuery: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "active-users", abstract: "Print DAU, WAU, MAU and events per day (active_users topologies).")

        @OptionGroup var target: QueryTarget

        @Option(help: "table, json or csv.")
        var format: Format = .table

        func run() throws {
            let rows = try target.read(defaultTable: "active_users") { t in
                try PostgresActiveUsersReader.days(url: t.url, schema: t.schema, table: t.table, from: t.from, to: t.to)
            }
            let header = ["day", "dau", "wau", "mau", "events"]
            let cells = rows.map { r in
                [CivilDate.isoString(ofDay: r.day), "\(r.dau)", r.wau.map(String.init) ?? "", r.mau.map(String.init) ?? "", "\(r.events)"]
            }
            Console.out(QueryCommand.renderCells(header: header, rows: cells, format: format, numericFrom: 1))
        }
    }

    /// `weir query retention`: users of each first-seen cohort active k days later.
    struct RetentionQuery: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retention", abstract: "Print retention cohorts: users first seen on a day, active N days later.")

        @OptionGroup var target: QueryTarget

        @Option(help: "table, json or csv.")
        var format: Format = .table

        func run() throws {
            let rows = try target.read(defaultTable: "active_users") { t in
                try PostgresActiveUsersReader.retention(url: t.url, schema: t.schema, table: t.table, from: t.from, to: t.to)
            }
            let cells = rows.map { [CivilDate.isoString(ofDay: $0.cohortDay), "\($0.age)", "\($0.users)"] }
            Console.out(QueryCommand.renderCells(header: ["cohort_day", "age", "users"], rows: cells, format: format, numericFrom: 1))
        }
    }

    /// Renders rows of cells as csv, json (objects; numeric columns unquoted, empty as null)
    /// or an aligned table.
    static func renderCells(header: [String], rows: [[String]], format: Format, numericFrom: Int) -> String {
        switch format {
        case .csv:
            return ([header.joined(separator: ",")] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n")
        case .json:
            let items = rows.map { row in
                "{" + zip(header, row).enumerated().map { i, pair in
                    let value = i >= numericFrom ? (pair.1.isEmpty ? "null" : pair.1) : "\"\(pair.1)\""
                    return "\"\(pair.0)\":\(value)"
                }.joined(separator: ",") + "}"
            }
            return "[" + items.joined(separator: ",") + "]"
        case .table:
            var widths = header.map(\.count)
            for row in rows {
                for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
            }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, c in
                    let pad = String(repeating: " ", count: widths[i] - c.count)
                    return i >= numericFrom ? pad + c : c + pad
                }.joined(separator: " | ")
            }
            var lines = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
            lines += rows.map(line)
            lines.append("(\(rows.count) row\(rows.count == 1 ? "" : "s"))")
            return lines.joined(separator: "\n")
        }
    }
}
