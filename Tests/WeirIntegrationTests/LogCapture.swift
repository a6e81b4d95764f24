import Logging
import Synchronization

/// Every line a test's logger writes, with the message, its metadata and the logger's own
/// metadata (set with `logger[metadataKey:]`), so that a test can look for a fragment (a
/// log line it expects, or a secret that must never appear) wherever it would be printed.
final class LogCapture: Sendable {
    private let captured = Mutex<[String]>([])

    init() {}

    /// All lines so far, oldest first.
    var all: [String] { captured.withLock { $0 } }

    /// The lines containing `fragment`.
    func matching(_ fragment: String) -> [String] { all.filter { $0.contains(fragment) } }

    /// A logger writing into this capture at `level` and above.
    func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, line in line }
            var text = "[\(event.level)] \(event.message)"
            if !all.isEmpty {
                text += " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            }
            capture.captured.withLock { $0.append(text) }
        }
    }
}
