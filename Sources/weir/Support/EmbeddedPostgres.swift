import Foundation

/// Finds the PostgreSQL URL a command should use when none is given: `$WEIR_POSTGRES_URL`,
/// else the embedded server started by `scripts/postgres start` in this checkout.
enum DefaultPostgres {
    static func url(explicit: String?) throws -> String {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["WEIR_POSTGRES_URL"], !env.isEmpty { return env }
        let portFile = FileManager.default.currentDirectoryPath + "/.weir/pg/port"
        if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
            let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return "postgresql://postgres@127.0.0.1:\(port)/weir"
        }
        throw ValidationError("no PostgreSQL given: pass --postgres URL, set WEIR_POSTGRES_URL, or run scripts/postgres start in this checkout")
    }
}

import ArgumentParser
