import Foundation

/// Helpers for libpq connection strings that keep secrets out of logs.
public enum PostgresURL {
    /// The URL with any password replaced by `***`, safe to log: the userinfo password and
    /// every `...password=` query parameter. Key/value strings (`host=... password=...`,
    /// spaces around `=` and quoted values included) get the same treatment.
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
            // Every query parameter whose name ends in "password" (password, sslpassword, ...).
            let tail = rest[authorityEnd...].split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
                guard let eq = part.firstIndex(of: "="), part[..<eq].lowercased().hasSuffix("password") else { return String(part) }
                return String(part[...eq]) + "***"
            }.joined(separator: "&")
            return String(url[..<scheme.upperBound]) + redactedAuthority + tail
        }
        return redactedKeywords(url)
    }

    /// `key = value` connection strings: every value of a key ending in "password" is
    /// masked, with or without spaces around `=` and with quoted values.
    private static func redactedKeywords(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            // Read a key.
            guard chars[i].isLetter || chars[i] == "_" else {
                out.append(chars[i])
                i += 1
                continue
            }
            var key = ""
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
                key.append(chars[i])
                i += 1
            }
            out += key
            var j = i
            while j < chars.count, chars[j] == " " { j += 1 }
            guard j < chars.count, chars[j] == "=" else { continue }
            out += String(chars[i...j])
            j += 1
            while j < chars.count, chars[j] == " " {
                out.append(" ")
                j += 1
            }
            // Read the value: quoted (with \' and \\ escapes) or up to white space.
            var value = ""
            if j < chars.count, chars[j] == "'" {
                value.append("'")
                j += 1
                while j < chars.count, chars[j] != "'" {
                    if chars[j] == "\\", j + 1 < chars.count { value.append(chars[j]); j += 1 }
                    value.append(chars[j])
                    j += 1
                }
                if j < chars.count { value.append("'"); j += 1 }
            } else {
                while j < chars.count, chars[j] != " " {
                    value.append(chars[j])
                    j += 1
                }
            }
            out += key.lowercased().hasSuffix("password") ? "***" : value
            i = j
        }
        return out
    }
}
