/// Parses RFC 3339 timestamps exactly as ``TimestampParser/parseRFC3339(_:)`` does, but
/// remembers the date of the last UTC timestamp of the common shapes
/// `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.sssZ`, so that the next one on the same
/// date only checks and adds its time of day.
///
/// Events arrive roughly in time order, so nearly every timestamp hits the cache. Anything
/// else — another shape, another date, an offset — takes the full parser, whose verdict
/// then stands; the cache only ever holds a date that parser accepted.
@usableFromInline
struct RFC3339DateCache: Sendable {
    /// Bytes 0..<8 of the cached timestamp (`YYYY-MM-`).
    private var datePrefix: UInt64 = 0
    /// Bytes 8..<11 (`DD` and the date-time separator); `UInt64.max` while nothing is cached.
    private var dateSuffix: UInt64 = .max
    /// The cached date as days since the epoch.
    private var days: Int64 = 0

    init() {}

    /// Milliseconds since the epoch, or `nil` when `bytes` is not a valid RFC 3339 time.
    @inline(__always)
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let p = bytes.baseAddress, let timeOfDay = Self.utcTimeOfDay(p, count: bytes.count) else {
            return TimestampParser.parseRFC3339(bytes)
        }
        let raw = UnsafeRawPointer(p)
        let prefix = raw.loadUnaligned(as: UInt64.self)
        let suffix = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & Self.suffixMask
        if prefix == datePrefix && suffix == dateSuffix {
            return days &* 86_400_000 &+ timeOfDay
        }
        guard let millis = TimestampParser.parseRFC3339(bytes) else { return nil }
        // A fast shape the full parser accepts: UTC, so millis = days * 86 400 000 + time of day.
        datePrefix = prefix
        dateSuffix = suffix
        days = (millis - timeOfDay) / 86_400_000
        return millis
    }

    /// Bytes 8, 9 and 10 of a little-endian word loaded at byte 8.
    private static let suffixMask: UInt64 = UInt64(littleEndian: 0xFF_FFFF)

    /// For the shapes `….THH:MM:SSZ` (20 bytes) and `….THH:MM:SS.sssZ` (24 bytes) with a valid
    /// time of day, the time of day in ms; otherwise `nil`. The date part is not checked.
    @inline(__always)
    private static func utcTimeOfDay(_ p: UnsafePointer<UInt8>, count n: Int) -> Int64? {
        @inline(__always) func digit(_ i: Int) -> Int64? {
            let d = p[i] &- UInt8(ascii: "0")
            return d < 10 ? Int64(d) : nil
        }
        var millis: Int64 = 0
        if n == 24 {
            guard p[19] == UInt8(ascii: "."), let a = digit(20), let b = digit(21), let c = digit(22) else { return nil }
            millis = a * 100 + b * 10 + c
        } else {
            guard n == 20 else { return nil }
        }
        guard p[n - 1] == UInt8(ascii: "Z") || p[n - 1] == UInt8(ascii: "z"),
            p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":"),
            let h1 = digit(11), let h0 = digit(12), let m1 = digit(14), let m0 = digit(15),
            let s1 = digit(17), let s0 = digit(18)
        else { return nil }
        let hour = h1 * 10 + h0
        let minute = m1 * 10 + m0
        let second = s1 * 10 + s0
        // A leap second folds into the next minute, as in the full parser.
        guard hour < 24, minute < 60, second < 61 else { return nil }
        return ((hour * 60 + minute) * 60 + second) * 1000 + millis
    }
}
