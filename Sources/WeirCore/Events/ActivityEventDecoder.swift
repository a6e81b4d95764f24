/// Decodes the two fields an activity metric needs, a user id and an event time, from a
/// JSON payload in place, and validates them.
///
/// One decoder belongs to one task; it reuses its buffers for every record.
public struct ActivityEventDecoder: Sendable {
    /// What to extract and what to accept.
    public struct Configuration: Sendable, Equatable {
        public var userIdField: JSONFieldPath
        public var timestampField: JSONFieldPath
        /// Events before this instant (ms since the epoch) are refused as absurd.
        public var minTimestampMillis: Int64
        /// Events more than this far ahead of the processing clock are refused as absurd.
        public var maxFutureMillis: Int64
        /// Payloads larger than this are refused without parsing.
        public var maxMessageBytes: Int
        /// User ids longer than this (in UTF-8 bytes) are refused.
        public var maxUserIdBytes: Int

        public init(
            userIdField: JSONFieldPath = JSONFieldPath("properties.user_id")!,
            timestampField: JSONFieldPath = JSONFieldPath("properties.timestamp")!,
            minTimestampMillis: Int64 = 946_684_800_000,  // 2000-01-01T00:00:00Z
            maxFutureMillis: Int64 = 86_400_000,
            maxMessageBytes: Int = 1 << 20,
            maxUserIdBytes: Int = 256
        ) {
            self.userIdField = userIdField
            self.timestampField = timestampField
            self.minTimestampMillis = minTimestampMillis
            self.maxFutureMillis = maxFutureMillis
            self.maxMessageBytes = maxMessageBytes
            self.maxUserIdBytes = maxUserIdBytes
        }
    }

    public let configuration: Configuration
    @usableFromInline internal var extractor: JSONFieldExtractor
    @usableFromInline internal var scratch: [UInt8] = []
    @usableFromInline internal var dates = RFC3339DateCache()

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.extractor = JSONFieldExtractor(paths: [configuration.userIdField, configuration.timestampField])
        scratch.reserveCapacity(configuration.maxUserIdBytes)
    }

    /// Decodes `payload`. On success calls `accept` with the user id bytes (valid only during
    /// the call) and the event time in ms since the epoch, and returns `nil`; otherwise returns
    /// the reason the record is refused.
    ///
    /// To decode many records, ``withBatch(_:)`` pins the decoder's buffers once for all of them.
    ///
    /// - Parameter nowMillis: the processing clock, used to refuse timestamps far in the future.
    @inlinable
    public mutating func decode(
        _ payload: UnsafeBufferPointer<UInt8>,
        nowMillis: Int64,
        accept: (UnsafeBufferPointer<UInt8>, Int64) -> Void
    ) -> DeadLetterReason? {
        withBatch { $0.decode(payload, nowMillis: nowMillis, accept: accept) }
    }

    /// Calls `body` with a ``Batch`` that decodes any number of records in this decoder's
    /// buffers, pinned once: per record it then touches no reference count. The batch is
    /// valid only during the call.
    @inlinable
    public mutating func withBatch<R>(_ body: (inout Batch) -> R) -> R {
        var state = takeState()
        defer { restoreState(state) }
        let configuration = self.configuration
        return extractor.withScanner { scanner in
            var batch = Batch(configuration: configuration, scanner: scanner, state: state)
            defer { state = batch.state }
            return body(&batch)
        }
    }

    /// The decoder's growing buffers, moved into a batch for its duration.
    @usableFromInline
    struct State {
        @usableFromInline var scratch: [UInt8]
        @usableFromInline var dates: RFC3339DateCache
    }

    @usableFromInline
    mutating func takeState() -> State {
        defer { scratch = [] }
        return State(scratch: scratch, dates: dates)
    }

    @usableFromInline
    mutating func restoreState(_ state: State) {
        scratch = state.scratch
        dates = state.dates
    }

    /// Decodes records with a decoder's buffers pinned (see ``ActivityEventDecoder/withBatch(_:)``);
    /// not copyable, so that it cannot outlive the call that lends it.
    public struct Batch: ~Copyable {
        @usableFromInline let configuration: Configuration
        @usableFromInline let scanner: JSONFieldExtractor.Pinned
        @usableFromInline var state: State

        @usableFromInline
        init(configuration: Configuration, scanner: JSONFieldExtractor.Pinned, state: State) {
            self.configuration = configuration
            self.scanner = scanner
            self.state = state
        }

        /// ``ActivityEventDecoder/decode(_:nowMillis:accept:)`` within the batch.
        @inlinable
        public mutating func decode(
            _ payload: UnsafeBufferPointer<UInt8>,
            nowMillis: Int64,
            accept: (UnsafeBufferPointer<UInt8>, Int64) -> Void
        ) -> DeadLetterReason? {
            switch decodeFields(payload, nowMillis: nowMillis) {
            case .failure(let reason):
                return reason
            case .success(let fields):
                if fields.escaped {
                    state.scratch.withUnsafeBufferPointer { accept($0, fields.timestampMillis) }
                } else {
                    accept(UnsafeBufferPointer(rebasing: payload[fields.userStart..<fields.userEnd]), fields.timestampMillis)
                }
                return nil
            }
        }

        @usableFromInline
        mutating func decodeFields(_ payload: UnsafeBufferPointer<UInt8>, nowMillis: Int64) -> Result<Fields, DeadLetterReason> {
            guard payload.count > 0 else { return .failure(DeadLetterReason(.emptyMessage, "empty payload")) }
            guard payload.count <= configuration.maxMessageBytes else {
                return .failure(DeadLetterReason(.oversizeMessage, "payload of \(payload.count) bytes exceeds \(configuration.maxMessageBytes)"))
            }
            do {
                try scanner.scan(payload)
            } catch {
                return .failure(DeadLetterReason(.malformedJSON, "invalid JSON: \(error)"))
            }
            let user = scanner.slot(0)
            let time = scanner.slot(1)

            var fields = Fields(userStart: user.start, userEnd: user.end, escaped: false, timestampMillis: 0)
            switch user.kind {
            case .missing, .null:
                return .failure(DeadLetterReason(.missingUserId, "field \(configuration.userIdField) is missing"))
            case .string, .number:
                break
            case .escapedString:
                state.scratch.removeAll(keepingCapacity: true)
                guard JSONString.unescape(UnsafeBufferPointer(rebasing: payload[user.start..<user.end]), into: &state.scratch) else {
                    return .failure(DeadLetterReason(.invalidUserId, "field \(configuration.userIdField) holds an unpaired surrogate"))
                }
                fields.escaped = true
            default:
                return .failure(DeadLetterReason(.invalidUserId, "field \(configuration.userIdField) must be a string or number"))
            }
            let userLength = fields.escaped ? state.scratch.count : user.end - user.start
            guard userLength > 0 else {
                return .failure(DeadLetterReason(.invalidUserId, "field \(configuration.userIdField) is empty"))
            }
            guard userLength <= configuration.maxUserIdBytes else {
                return .failure(DeadLetterReason(.invalidUserId, "field \(configuration.userIdField) is longer than \(configuration.maxUserIdBytes) bytes"))
            }

            let userBytes = fields.escaped
                ? state.scratch.withUnsafeBufferPointer { ActivityEventDecoder.isStorableText($0) }
                : ActivityEventDecoder.isStorableText(in: payload, from: user.start, to: user.end)
            guard userBytes else {
                return .failure(DeadLetterReason(.invalidUserId, "field \(configuration.userIdField) is not valid UTF-8 or contains NUL"))
            }

            let timeBytes = UnsafeBufferPointer(rebasing: payload[time.start..<time.end])
            let millis: Int64?
            switch time.kind {
            case .missing, .null:
                return .failure(DeadLetterReason(.missingTimestamp, "field \(configuration.timestampField) is missing"))
            case .string:
                millis = state.dates.parse(timeBytes)
            case .number:
                millis = TimestampParser.parseEpochNumber(timeBytes)
            default:
                millis = nil
            }
            guard let millis else {
                let text = time.kind == .string || time.kind == .number ? String(decoding: timeBytes.prefix(64), as: UTF8.self) : "\(time.kind)"
                return .failure(DeadLetterReason(.invalidTimestamp, "field \(configuration.timestampField) is not an RFC 3339 time or epoch number: \(text)"))
            }
            guard millis >= configuration.minTimestampMillis, millis <= nowMillis + configuration.maxFutureMillis else {
                return .failure(DeadLetterReason(
                    .timestampOutOfRange,
                    "field \(configuration.timestampField) = \(String(decoding: timeBytes.prefix(64), as: UTF8.self)) is outside [\(configuration.minTimestampMillis), now + \(configuration.maxFutureMillis)] ms"))
            }
            fields.timestampMillis = millis
            return .success(fields)
        }
    }

    @usableFromInline
    internal struct Fields {
        @usableFromInline var userStart: Int
        @usableFromInline var userEnd: Int
        @usableFromInline var escaped: Bool
        @usableFromInline var timestampMillis: Int64
    }

    /// ``isStorableText(_:)`` of `payload[start..<end]`. An id shorter than a word that has
    /// eight payload bytes up to its end is read with one load of those bytes (the bytes
    /// before it shifted out), without the byte loop and its length-dependent branches.
    @inline(__always)
    static func isStorableText(in payload: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        let n = end - start
        if n > 0 && n < 8 && end >= 8, let base = payload.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let word = UInt64(littleEndian: UnsafeRawPointer(base + end - 8).loadUnaligned(as: UInt64.self))
            // The id's bytes in the low n bytes, 0x01 (harmless ASCII) above them.
            let w = (word &>> UInt64(8 &* (8 &- n))) | ((~0 as UInt64) &<< UInt64(8 &* n) & ones)
            if (w | ((w &- ones) & ~w)) & 0x8080_8080_8080_8080 == 0 { return true }
        }
        return isStorableText(UnsafeBufferPointer(rebasing: payload[start..<end]))
    }

    /// Whether bytes are valid UTF-8 without NUL, so that any SQL `text` column accepts them.
    /// ASCII without NUL, the usual case, is checked eight bytes at a time.
    static func isStorableText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let n = bytes.count
        var i = 0
        var flags: UInt64 = 0  // high bits: a byte at or above 0x80, or a zero byte (maybe)
        while i + 8 <= n {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            flags |= word | ((word &- ones) & ~word)
            i += 8
        }
        if i < n && n >= 8 {
            // The last, partial word: reload the final eight bytes (overlapping is harmless).
            let word = UnsafeRawPointer(base + n - 8).loadUnaligned(as: UInt64.self)
            flags |= word | ((word &- ones) & ~word)
        } else {
            while i < n {
                let b = base[i]
                flags |= UInt64(b) | (b == 0 ? 0x80 : 0)
                i += 1
            }
        }
        if flags & highs == 0 { return true }
        // Slow path: NUL anywhere refuses; otherwise full UTF-8 validation.
        for b in bytes where b == 0 { return false }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
