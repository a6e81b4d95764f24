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
    ///
    /// The time is checked a word at a time: XOR with `00:00:00` turns its digits into
    /// bytes 0...9 and its colons into 0, and a byte is above 9 exactly when it has its
    /// high bit set or adding 0x76 sets it (a carry out of one byte comes only from a byte
    /// that is itself flagged).
    @inline(__always)
    private static func utcTimeOfDay(_ p: UnsafePointer<UInt8>, count n: Int) -> Int64? {
        let highs: UInt64 = 0x8080_8080_8080_8080
        var millis: Int64 = 0
        if n == 24 {
            // ".sss": the dot becomes 0, the digits 0...9.
            let f = UInt32(littleEndian: UnsafeRawPointer(p + 19).loadUnaligned(as: UInt32.self)) ^ 0x3030_302E
            guard f & 0xFF == 0, (f | (f &+ 0x7676_7600)) & 0x8080_8080 == 0 else { return nil }
            millis = Int64((f &>> 8) & 0xFF) &* 100 &+ Int64((f &>> 16) & 0xFF) &* 10 &+ Int64(f &>> 24)
        } else {
            guard n == 20 else { return nil }
        }
        // 'Z' and 'z' are the only bytes that OR 0x20 makes 'z'.
        guard p[n &- 1] | 0x20 == UInt8(ascii: "z") else { return nil }
        let w = UInt64(littleEndian: UnsafeRawPointer(p + 11).loadUnaligned(as: UInt64.self)) ^ 0x3030_3A30_303A_3030
        guard w & 0x0000_FF00_00FF_0000 == 0, (w | (w &+ 0x7676_7676_7676_7676)) & highs == 0 else { return nil }
        @inline(__always) func byte(_ i: UInt64) -> Int64 { Int64((w &>> (8 &* i)) & 0xFF) }
        let hour = byte(0) &* 10 &+ byte(1)
        let minute = byte(3) &* 10 &+ byte(4)
        let second = byte(6) &* 10 &+ byte(7)
        // A leap second folds into the next minute, as in the full parser.
        guard hour < 24, minute < 60, second < 61 else { return nil }
        return ((hour &* 60 &+ minute) &* 60 &+ second) &* 1000 &+ millis
    }
}
