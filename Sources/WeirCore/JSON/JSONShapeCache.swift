/// The shape of a document a full scan accepted (the last one recorded), so that the next document of the
/// same shape is accepted, and its fields found, by comparing its bytes between value
/// strings instead of walking the grammar again. The idea is Mison's (Li et al., VLDB 2017):
/// the records of one stream mostly share a layout. Unlike Mison's, nothing is speculative.
///
/// A document's *shape* is everything but the contents of its value strings (strings not
/// followed by a colon): the *segments* between them, keys, structure and any numbers
/// included, each ending with the opening quote of the value string after it. In a document
/// without backslashes and bytes below 0x20, a value string's contents can
/// change neither whether the document is JSON nor what the paths find. So a document made
/// of the same segments, with any quote-free strings between them, is accepted, and each path
/// finds the string at the same index. Only shapes of at most ``maxValues`` value strings
/// and ``maxSegmentBytes`` segment bytes, whose found fields are all strings (or missing)
/// and no two on the same string, are cached.
///
/// After a miss the next accepted document's shape is recorded, unless nothing has matched
/// since the last recording (attempted or not): then recording backs off exponentially, up
/// to every 1,024th miss, so that a stream without a stable or cacheable shape (a number that
/// changes in every record, say) pays for recording only rarely.
struct JSONShapeCache {
    /// The header (``Header``), two words per value string (where its segment starts in the
    /// segment bytes; its length, and its slot plus one in the high half), then the segment
    /// bytes. The starts could be summed from the lengths, but the match loop then runs
    /// out of registers: 15 more instructions per record, measured.
    let words: UnsafeMutablePointer<UInt64>

    static let maxValues = 64
    static let maxSegmentBytes = 4096
    private static let headerWords = 7
    private static let segmentBytesWord = headerWords + 2 * maxValues
    /// Words of storage, the segment bytes rounded up to a whole word.
    static let wordCount = segmentBytesWord + maxSegmentBytes / 8 + 1

    /// The header's words.
    private enum Header {
        /// Value strings in the shape, plus one; 0 when nothing is cached.
        static let values = 0
        /// Where the segment after the last value string starts in the segment bytes, and its length.
        static let finalStart = 1, finalLength = 2
        /// Misses since the last recording, and the recording backoff.
        static let misses = 3, backoff = 4
        /// Matches since the cache was created, and their number at the last recording.
        static let matched = 5, matchedAtRecording = 6
    }

    /// Where the count of all matches so far sits in the cache's words.
    static let matchedWord = Header.matched

    private var segmentBytes: UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer(words + Self.segmentBytesWord).assumingMemoryBound(to: UInt8.self)
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
    }

    /// Whether the `length` bytes at `a`, which all lie in the document, equal the cached
    /// ones at `cached`: 16 bytes per step, the last step overlapping the one before.
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ cached: UnsafePointer<UInt8>, length: Int) -> Bool {
        if length >= 16 {
            var k = 0
            while k &+ 16 < length {
                if !equal16(a + k, cached + k) { return false }
                k &+= 16
            }
            return equal16(a + (length &- 16), cached + (length &- 16))
        }
        if length >= 8 {
            let first = load(a) ^ load(cached)
            let last = load(a + (length &- 8)) ^ load(cached + (length &- 8))
            return first | last == 0
        }
        var k = 0
        while k < length {
            if a[k] != cached[k] { return false }
            k &+= 1
        }
        return true
    }

    @inline(__always)
    private static func equal16(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>) -> Bool {
        (load(a) ^ load(b)) | (load(a + 8) ^ load(b + 8)) == 0
    }

    /// The closing quote of the string opening at `open`, or `nil` if a backslash or a byte
    /// below 0x20 comes first, or the document ends: 16 bytes per step while 16 remain.
    @inline(__always)
    private static func closingQuote(_ bytes: UnsafePointer<UInt8>, after open: Int, count: Int) -> Int? {
        var p = open &+ 1
        while count &- p >= 16 {
            let ends = JSONBlockClasses.stringEnds16(UnsafeRawPointer(bytes + p))
            if ends != 0 {
                let end = p &+ ends.trailingZeroBitCount
                return bytes[end] == UInt8(ascii: "\"") ? end : nil
            }
            p &+= 16
        }
        guard count >= 16 else { return closingQuoteNearEnd(bytes, from: p, count: count) }
        // The last bytes: the 16 ending at the end, shifted down to start at `p`.
        let ends = JSONBlockClasses.stringEnds16(UnsafeRawPointer(bytes + (count &- 16))) &>> UInt64(16 &- (count &- p))
        guard ends != 0 else { return nil }
        let end = p &+ ends.trailingZeroBitCount
        return bytes[end] == UInt8(ascii: "\"") ? end : nil
    }

    @inline(never)
    private static func closingQuoteNearEnd(_ bytes: UnsafePointer<UInt8>, from: Int, count: Int) -> Int? {
        var p = from
        while p < count {
            let b = bytes[p]
            if b == UInt8(ascii: "\"") { return p }
            if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
            p &+= 1
        }
        return nil
    }

    /// Whether the `count`-byte document at `bytes` has the cached shape; if so the string
    /// slots are filled (the caller clears every slot first). The document needs no quote
    /// index: its segments equal cached ones, which hold no backslash and no byte below 0x20,
    /// and each value string is checked for them while its closing quote is sought.
    func match(_ bytes: UnsafePointer<UInt8>, count: Int, slots: UnsafeMutablePointer<JSONValueSlot>) -> Bool {
        let stored = Int(truncatingIfNeeded: words[Header.values])
        guard stored != 0 else { return miss() }
        let segments = UnsafePointer(segmentBytes)
        var entry = UnsafePointer(words + Self.headerWords)
        var position = 0  // where the next segment starts
        for _ in 0..<(stored &- 1) {
            let start = Int(truncatingIfNeeded: entry[0])
            let length = Int(truncatingIfNeeded: entry[1] & 0xFFFF_FFFF)
            // The segment, ending with the value's opening quote, and at least its closing one.
            guard position &+ length < count, Self.equal(bytes + position, segments + start, length: length) else {
                return miss()
            }
            let open = position &+ length &- 1
            guard let close = Self.closingQuote(bytes, after: open, count: count) else { return miss() }
            let slot = Int(truncatingIfNeeded: entry[1] &>> 32) &- 1
            if slot >= 0 {
                slots[slot] = JSONValueSlot(kind: .string, start: open &+ 1, end: close)
            }
            position = close &+ 1
            entry += 2
        }
        let finalLength = Int(truncatingIfNeeded: words[Header.finalLength])
        guard count &- position == finalLength,
            Self.equal(bytes + position, segments + Int(truncatingIfNeeded: words[Header.finalStart]), length: finalLength)
        else { return miss() }
        words[Header.matched] &+= 1
        return true
    }

    @inline(__always)
    private func miss() -> Bool {
        words[Header.misses] &+= 1
        return false
    }

    /// Records the shape of a document a full scan has just accepted, with `slots` as that
    /// scan filled them, unless the backoff says to wait.
    func record(
        _ bytes: UnsafePointer<UInt8>, count: Int, quotes: UnsafePointer<UInt64>, slots: UnsafeMutablePointer<JSONValueSlot>,
        slotCount: Int
    ) {
        // The cached shape has not paid off since it was recorded: wait out the backoff.
        let paidOff = words[Header.matched] != words[Header.matchedAtRecording]
        if !paidOff && words[Header.misses] < words[Header.backoff] { return }
        words[Header.backoff] = paidOff ? 1 : min(max(words[Header.backoff], 1) &<< 1, 1 << 10)
        words[Header.matchedAtRecording] = words[Header.matched]
        words[Header.misses] = 0
        words[Header.values] = 0  // nothing cached unless this recording completes
        for j in 0..<slotCount where slots[j].kind != .missing && slots[j].kind != .string { return }
        var values = 0
        var used = 0  // segment bytes stored
        var position = 0
        var open = JSONQuoteIndex.nextBit(after: -1, in: quotes)
        while open < count {
            let close = JSONQuoteIndex.nextBit(after: open, in: quotes)
            // In an accepted document a string is a key exactly when a colon follows it.
            var after = close &+ 1
            while after < count && bytes[after] == UInt8(ascii: " ") { after &+= 1 }
            if !(after < count && bytes[after] == UInt8(ascii: ":")) {
                let length = open &+ 1 &- position
                guard values < Self.maxValues, used &+ length <= Self.maxSegmentBytes else { return }
                var slot = -1
                for j in 0..<slotCount where slots[j].kind == .string && slots[j].start == open &+ 1 {
                    guard slot < 0 else { return }  // two paths on one string: not cached
                    slot = j
                }
                (segmentBytes + used).update(from: bytes + position, count: length)
                let entry = words + Self.headerWords + 2 &* values
                entry[0] = UInt64(used)
                entry[1] = UInt64(length) | UInt64(slot &+ 1) &<< 32
                used &+= length
                values &+= 1
                position = close &+ 1
            }
            open = JSONQuoteIndex.nextBit(after: close, in: quotes)
        }
        let finalLength = count &- position
        guard used &+ finalLength <= Self.maxSegmentBytes else { return }
        (segmentBytes + used).update(from: bytes + position, count: finalLength)
        words[Header.finalStart] = UInt64(used)
        words[Header.finalLength] = UInt64(finalLength)
        words[Header.values] = UInt64(values &+ 1)
    }
}
