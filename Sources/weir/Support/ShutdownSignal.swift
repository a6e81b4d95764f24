import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a callback, so long-running commands can stop cleanly
/// (commit, leave the group, exit 0) instead of dying mid-transaction.
final class ShutdownSignal {
    private let sources: [any DispatchSourceSignal]
    private let semaphore = DispatchSemaphore(value: 0)

    /// Installs the handlers; `onSignal` runs on a background queue, once per signal.
    init(onSignal: @escaping @Sendable (Int32) -> Void = { _ in }) {
        let queue = DispatchQueue(label: "weir.signals")
        var sources: [any DispatchSourceSignal] = []
        let semaphore = self.semaphore
        // A parent may have started us with these signals blocked (the mask is inherited
        // across exec); unblock them, or the handlers below would never run.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                onSignal(sig)
                semaphore.signal()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Blocks until a signal arrives.
    func wait() { semaphore.wait() }

    /// Blocks until a signal arrives or `seconds` pass; returns whether a signal arrived.
    func wait(seconds: Double) -> Bool {
        semaphore.wait(timeout: .now() + seconds) == .success
    }
}
