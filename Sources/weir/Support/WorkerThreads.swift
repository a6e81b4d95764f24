import Foundation
import Synchronization

/// Runs a function on a few dedicated OS threads and collects the results: the bench's
/// parallelism, with no task or async hop per record.
enum WorkerThreads {
    /// Calls `body(i)` for `i` in `0..<count`, each on its own new thread (1 runs inline),
    /// waits for all of them and returns the results in index order.
    static func run<Result: Sendable>(count: Int, _ body: @escaping @Sendable (Int) -> Result) -> [Result] {
        if count == 1 { return [body(0)] }
        let results = Results<Result>(count: count)
        let finished = DispatchSemaphore(value: 0)
        for i in 0..<count {
            let thread = Thread {
                results.store(body(i), at: i)
                finished.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in 0..<count { finished.wait() }
        return results.values()
    }

    private final class Results<Result: Sendable>: Sendable {
        private let slots: Mutex<[Result?]>
        init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
        func store(_ value: Result, at index: Int) { slots.withLock { $0[index] = value } }
        func values() -> [Result] { slots.withLock { $0.map { $0! } } }
    }
}

/// A value that one thread at a time works on across several rounds of ``WorkerThreads``.
final class Guarded<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    /// Runs `body` with exclusive access to the value.
    func withValue<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
