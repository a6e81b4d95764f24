import Foundation

/// Helpers for libpq connection strings that keep secrets out of logs.
public enum PostgresURL {
    /// The URL with any password replaced by `***`, safe to log. Key/value strings
    /// (`host=... password=...`) get the same treatment.
    public static func redacted(_ url: String) -> String {
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            var redactedAuthority = String(authority)
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                if let colon = userinfo.firstIndex(of: ":") {
                    redactedAuthority = String(userinfo[..<colon]) + ":***" + String(authority[at...])
                }
            }
            var tail = String(rest[authorityEnd...])
            if let range = tail.range(of: "password=") {
                let valueEnd = tail[range.upperBound...].firstIndex(of: "&") ?? tail.endIndex
                tail.replaceSubrange(range.upperBound..<valueEnd, with: "***")
            }
            return String(url[..<scheme.upperBound]) + redactedAuthority + tail
        }
        var parts = url.split(separator: " ").map(String.init)
        for i in parts.indices where parts[i].hasPrefix("password=") { parts[i] = "password=***" }
        return parts.joined(separator: " ")
    }
}
