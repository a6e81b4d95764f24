import ArgumentParser
import Foundation
import WeirCore

/// `weir bench ...`: measurements that print JSON (run from a release build).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks that print one JSON object.", subcommands: [DAU.self, HNSW.self])

    /// `weir bench dau --input FILE`: parse plus exact DAU from an NDJSON file, no I/O in the loop.
    struct DAU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dau", abstract: "Parse NDJSON events and count exact DAU per day; print JSON.")

        @Option(help: "NDJSON file of events.")
        var input: String

        @Option(help: "Worker threads (this build supports 1).")
        var threads: Int = 1

        func validate() throws {
            guard threads == 1 else { throw ValidationError("--threads: only 1 is supported by this build") }
        }

        func run() throws {
            let nowMillis = Int64(Date().timeIntervalSince1970 * 1000)
            var decoder = ActivityEventDecoder()
            var dau = ExactDailyActiveUsers()
            var events = 0
            var rejected = 0
            let cpuBefore = ResourceUsage.cpuSeconds
            let started = ContinuousClock.now
            try NDJSONReader(path: input).forEachLine { line in
                events += 1
                let rejection = decoder.decode(line, nowMillis: nowMillis) { user, millis in
                    dau.record(day: Int(millis.dividedFloor(by: 86_400_000)), userId: user)
                }
                if rejection != nil { rejected += 1 }
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let cpu = ResourceUsage.cpuSeconds - cpuBefore
            let days = dau.totals.map { "{\"day\":\"\(CivilDate.isoString(ofDay: $0.day))\",\"dau\":\($0.dau),\"events\":\($0.events)}" }
            Console.out("""
                {"benchmark":"dau","operator":"exact","input":"\(input)","events":\(events),"rejected":\(rejected),\
                "seconds":\(String(format: "%.4f", seconds)),"cpu_seconds":\(String(format: "%.4f", cpu)),\
                "events_per_second":\(Int(Double(events) / max(seconds, 1e-9))),"threads":\(threads),\
                "distinct_users":\(dau.distinctUsers),"state_bytes":\(dau.approximateBytes),\
                "peak_rss_bytes":\(ResourceUsage.peakRSSBytes),"days":[\(days.joined(separator: ","))]}
                """)
        }
    }
}
