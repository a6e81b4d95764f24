import Foundation
import Synchronization
import WeirTopology

/// Stops a job once its input has been idle for a while (counted from the first record,
/// or from the first partition assignment when nothing arrives at all), and
/// remembers when records first and last arrived so a run can report its active rate.
enum IdleStopper {
    private static let window = Mutex<(first: Date?, last: Date?)>((nil, nil))

    static func start(job: any RunningTopology, idleSeconds: Double) {
        Thread {
            var lastCount: Int64 = 0
            var assignedAt: Date?
            var lastLag: (value: Int64, since: Date)?
            while true {
                Thread.sleep(forTimeInterval: 0.05)
                let count = job.progress.recordsIn
                let now = Date()
                if count != lastCount {
                    window.withLock {
                        if $0.first == nil { $0.first = now }
                        $0.last = now
                    }
                    lastCount = count
                } else {
                    // A long commit (e.g. pgvector index maintenance) reads nothing for a while
                    // but is not idle: records are still waiting while the lag is above zero.
                    // A lag stuck at one value for three idle periods no longer counts.
                    if let lag = job.progress.lag, lag > 0 {
                        if lastLag?.value != lag { lastLag = (lag, now) }
                        if let stuck = lastLag, now.timeIntervalSince(stuck.since) < 3 * idleSeconds { continue }
                    }
                    if assignedAt == nil && job.progress.assignedPartitions > 0 { assignedAt = now }
                    guard let since = window.withLock({ $0.last }) ?? assignedAt else { continue }
                    if now.timeIntervalSince(since) >= idleSeconds {
                        job.requestStop()
                        return
                    }
                }
            }
        }.start()
    }

    /// Seconds from the first record to the last one (including commit), else since `started`.
    static func activeSeconds(job: any RunningTopology, started: Date, idleSeconds: Double) -> Double {
        let (first, last) = window.withLock { $0 }
        guard let first, let last else { return Date().timeIntervalSince(started) }
        return last.timeIntervalSince(first)
    }
}
