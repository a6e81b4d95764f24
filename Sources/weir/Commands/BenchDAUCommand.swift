import ArgumentParser
import Foundation
import WeirCore

extension BenchCommand {
    /// `weir bench dau --input FILE [--threads N] [--operator exact|active-users|hll]`:
    /// parse plus a DAU operator over an NDJSON file, no I/O in the loop; prints one JSON object.
    struct DAU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dau",
            abstract: "Parse NDJSON events and count DAU per day (exact, active-users or HLL); print JSON.",
            discussion: """
                With --threads N the file is split into N line-aligned ranges parsed on N threads. \
                exact and active-users route each event to a partition by a hash of its user, so \
                partitions hold disjoint users and their counts add up to the one-thread result; \
                hll unions per-thread sketches.
                """)

        /// The operator measured.
        enum Operator: String, ExpressibleByArgument, CaseIterable, Sendable {
            case exact
            case activeUsers = "active-users"
            case hll
        }

        @Option(help: "NDJSON file of events.")
        var input: String

        @Option(help: "Worker threads.")
        var threads: Int = 1

        @Option(name: .customLong("operator"), help: "exact, active-users or hll.")
        var op: Operator = .exact

        func validate() throws {
            guard (1...256).contains(threads) else { throw ValidationError("--threads must be in 1...256") }
        }

        func run() throws {
            let file = try MappedFile(path: input)
            let driver = DAUBenchDriver(file: file, threads: threads, nowMillis: Int64(Date().timeIntervalSince1970 * 1000))
            let cpuBefore = ResourceUsage.cpuSeconds
            let started = ContinuousClock.now
            let result: (counts: DAUBenchDriver.LineCounts, fields: String)
            switch op {
            case .exact: result = Self.exact(driver)
            case .activeUsers: result = Self.activeUsers(driver)
            case .hll: result = Self.hll(driver)
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let cpu = ResourceUsage.cpuSeconds - cpuBefore
            let events = result.counts.lines
            Console.out("""
                {"benchmark":"dau","operator":"\(op.rawValue)","input":"\(input)","events":\(events),\
                "rejected":\(result.counts.rejected),"seconds":\(String(format: "%.4f", seconds)),\
                "cpu_seconds":\(String(format: "%.4f", cpu)),\
                "events_per_second":\(Int(Double(events) / max(seconds, 1e-9))),\
                "events_per_cpu_second":\(Int(Double(events) / max(cpu, 1e-9))),"threads":\(threads),\
                "peak_rss_bytes":\(ResourceUsage.peakRSSBytes),\(result.fields)}
                """)
        }

        /// Exact DAU: per-partition ``ExactDailyActiveUsers``, summed per day.
        static func exact(_ driver: DAUBenchDriver) -> (DAUBenchDriver.LineCounts, String) {
            let (partials, counts) = driver.runPartitioned(ExactDailyActiveUsers.self)
            var byDay: [Int: DayTotals] = [:]
            for partial in partials {
                for t in partial.totals {
                    byDay[t.day, default: DayTotals(day: t.day, dau: 0, events: 0)].dau += t.dau
                    byDay[t.day]!.events += t.events
                }
            }
            let days = byDay.keys.sorted().map { day in
                "{\"day\":\"\(CivilDate.isoString(ofDay: day))\",\"dau\":\(byDay[day]!.dau),\"events\":\(byDay[day]!.events)}"
            }
            let users = partials.reduce(0) { $0 + $1.distinctUsers }
            let bytes = partials.reduce(0) { $0 + $1.approximateBytes }
            return (counts, """
                "distinct_users":\(users),"state_bytes":\(bytes),\
                "bytes_per_user":\(String(format: "%.1f", Double(bytes) / Double(max(users, 1)))),\
                "days":[\(days.joined(separator: ","))]
                """)
        }

        /// DAU, WAU and MAU through ``ActiveUsers``: per-partition reports, summed.
        static func activeUsers(_ driver: DAUBenchDriver) -> (DAUBenchDriver.LineCounts, String) {
            let (partials, counts) = driver.runPartitioned(ActiveUsers.self)
            let last = partials.compactMap(\.latestDay).max()
            let report = partials.map { $0.report(throughDay: last) }.mergedAggregate()
            let days = report.days.map { row in
                "{\"day\":\"\(CivilDate.isoString(ofDay: row.day))\",\"dau\":\(row.dau),\"wau\":\(row.wau ?? 0),\"mau\":\(row.mau ?? 0),\"events\":\(row.events)}"
            }
            let d1 = report.cohorts.filter { $0.age == 1 }.reduce(Int64(0)) { $0 + $1.users }
            let users = partials.reduce(0) { $0 + $1.distinctUsers }
            let bytes = partials.reduce(0) { $0 + $1.approximateBytes }
            return (counts, """
                "distinct_users":\(users),"state_bytes":\(bytes),\
                "bytes_per_user":\(String(format: "%.1f", Double(bytes) / Double(max(users, 1)))),\
                "late_events":\(report.lateEvents),"out_of_range_events":\(report.outOfRangeEvents),\
                "cohort_cells":\(report.cohorts.count),"day1_retained_users":\(d1),\
                "days":[\(days.joined(separator: ","))]
                """)
        }

        /// Approximate DAU: a HyperLogLog++ per day per thread, unioned.
        static func hll(_ driver: DAUBenchDriver) -> (DAUBenchDriver.LineCounts, String) {
            let (partials, counts) = driver.runPerRange(DailyHyperLogLogs.self)
            var merged = partials[0]
            for partial in partials.dropFirst() { merged.merge(partial) }
            let days = merged.totals.map {
                "{\"day\":\"\(CivilDate.isoString(ofDay: $0.day))\",\"dau\":\($0.dau),\"events\":\($0.events)}"
            }
            return (counts, """
                "precision":\(HyperLogLog.defaultPrecision),"state_bytes":\(merged.approximateBytes),\
                "days":[\(days.joined(separator: ","))]
                """)
        }
    }
}
