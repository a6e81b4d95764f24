/// Parses event timestamps in place: RFC 3339 strings and numeric epoch values.
///
/// Accepted strings: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with `t`, `z` or a space
/// as separators too. Numbers are epoch seconds, or epoch milliseconds when their
/// magnitude is at least 10^11 (that is, after 1973 in milliseconds).
public enum TimestampParser {
    /// Milliseconds since 1970-01-01T00:00:00Z, or `nil` when `bytes` is not a valid RFC 3339 time.
    public static func parseRFC3339(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = p.count
        guard n >= 20 else { return nil }
        @inline(__always) func digits(_ at: Int, _ count: Int) -> Int? {
            var v = 0
            for i in at..<(at + count) {
                let d = p[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        guard p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"),
            p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: "t") || p[10] == UInt8(ascii: " "),
            p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":"),
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
            (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 61  // a leap second folds into the next minute
        else { return nil }

        var i = 19
        var millis = 0
        if p[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 100
            let fractionStart = i
            while i < n, p[i] &- UInt8(ascii: "0") < 10 {
                millis += Int(p[i] - UInt8(ascii: "0")) * scale
                scale /= 10
                i += 1
            }
            guard i > fractionStart, i < n else { return nil }
        }
        var offsetSeconds = 0
        switch p[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == n else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == n, p[i + 3] == UInt8(ascii: ":"),
                let oh = digits(i + 1, 2), let om = digits(i + 4, 2), oh < 24, om < 60
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (p[i] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Int64(seconds) * 1000 + Int64(millis)
    }

    /// Milliseconds since the epoch from a JSON number holding epoch seconds or milliseconds.
    /// Fractions are accepted for seconds; exponents are not.
    public static func parseEpochNumber(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let n = p.count
        var negative = false
        if i < n, p[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var whole: Int64 = 0
        let start = i
        while i < n, p[i] &- UInt8(ascii: "0") < 10 {
            guard whole < 1_000_000_000_000_000 else { return nil }
            whole = whole * 10 + Int64(p[i] - UInt8(ascii: "0"))
            i += 1
        }
        guard i > start else { return nil }
        var fractionMillis: Int64 = 0
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            var scale: Int64 = 100
            while i < n, p[i] &- UInt8(ascii: "0") < 10 {
                fractionMillis += Int64(p[i] - UInt8(ascii: "0")) * scale
                scale /= 10
                i += 1
            }
        }
        guard i == n else { return nil }
        let millis = whole >= 100_000_000_000 ? whole : whole * 1000 + fractionMillis
        return negative ? -millis : millis
    }
}
