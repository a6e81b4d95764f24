import Foundation
import Synchronization
import WeirCore
import WeirTopology

/// Prints a job's progress to stderr at a fixed interval from its own thread: a
/// rewritten line on a terminal, one line per report otherwise.
final class ProgressReporter: Sendable {
    private let job: any RunningTopology
    private let interval: Double
    private let running = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let extra: @Sendable () -> String

    init(job: any RunningTopology, interval: Double, extra: @escaping @Sendable () -> String = { "" }) {
        self.job = job
        self.interval = interval
        self.extra = extra
    }

    func start() {
        running.store(true, ordering: .relaxed)
        let thread = Thread { [self] in
            var last = job.progress
            var lastTime = Date()
            let terminal = Console.stderrIsTerminal
            while running.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: interval)
                guard running.load(ordering: .relaxed) else { break }
                let now = Date()
                let current = job.progress
                let rate = Double(current.recordsIn - last.recordsIn) / max(now.timeIntervalSince(lastTime), 0.001)
                let line = Self.format(current, rate: rate) + extra()
                if terminal {
                    Console.errRaw("\r\u{1B}[2K" + line)
                } else {
                    Console.err(line)
                }
                last = current
                lastTime = now
            }
            if terminal { Console.errRaw("\n") }
            done.signal()
        }
        thread.start()
    }

    func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        done.wait()
    }

    static func format(_ p: JobProgress, rate: Double) -> String {
        var parts = [
            "\(Console.grouped(Int(rate))) events/s",
            "read \(Console.grouped(p.recordsIn))",
            "lag \(p.lag.map { Console.grouped($0) } ?? "?")",
        ]
        if p.daysSeen > 0 { parts.append("days \(p.daysSeen)") }
        if p.indexedDocuments > 0 || p.recordsReplayedIntoIndex > 0 { parts.append("indexed \(Console.grouped(p.indexedDocuments))") }
        if let day = p.latestDay {
            parts.append("\(CivilDate.isoString(ofDay: day.day)) DAU \(Console.grouped(day.dau))")
        }
        parts.append("dead letters \(Console.grouped(p.deadLetters))")
        parts.append("commits \(p.commits)")
        if p.recordsLostBeforeRead > 0 { parts.append("LOST TO RETENTION \(Console.grouped(p.recordsLostBeforeRead))") }
        if let error = p.lastCommitError { parts.append("RETRYING: \(error.prefix(80))") }
        return parts.joined(separator: " | ")
    }
}
