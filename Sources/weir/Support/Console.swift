import ArgumentParser
import Foundation
import Logging
import Synchronization

/// Terminal output helpers: stdout lines that are flushed at once, stderr lines, and the
/// logging bootstrap shared by every command.
enum Console {
    /// Writes a line to stdout and flushes it (scripts read the broker's first line).
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes a line to stderr.
    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes text to stderr without a newline (for `\r` progress lines).
    static func errRaw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether stderr is a terminal.
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    private static let bootstrapped = Mutex(false)

    /// Sends swift-log output to stderr at `level` (once per process).
    static func bootstrapLogging(level: Logger.Level) {
        bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }

    /// `1234567` -> `1,234,567`.
    static func grouped(_ value: some BinaryInteger) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
