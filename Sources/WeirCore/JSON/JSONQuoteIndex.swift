/// The quotes of a document, found 64 bytes at a time before the scan, so that skipping a
/// string costs one bit lookup instead of a loop over its bytes, and the scan's branches
/// follow the document's structure rather than the lengths of its strings.
///
/// Built branch-free from vector compares (``JSONBlockClasses``). In a document without
/// backslashes every quote opens or closes a string, alternately, so the closing quotes are
/// the quote bits whose prefix XOR is zero. A document with a backslash or a byte below 0x20
/// (a tab or newline included), or that ends inside a string, gets no index and takes the
/// word-at-a-time skip.
enum JSONQuoteIndex {
    /// Words one bit array of a `count`-byte document needs: one per 64-byte block, then a guard.
    @inline(__always)
    static func words(forCount count: Int) -> Int { (count &+ 63) &>> 6 &+ 1 }

    /// The first set bit after bit `offset` of a bit array that ends with a guard word of all
    /// ones, so the search always stops: past the document when no bit of it is left.
    @inline(__always)
    static func nextBit(after offset: Int, in bits: UnsafePointer<UInt64>) -> Int {
        let from = offset &+ 1
        var block = from &>> 6
        var word = bits[block] & (~0 &<< UInt64(from & 63))
        while word == 0 {
            block &+= 1
            word = bits[block]
        }
        return block &<< 6 &+ word.trailingZeroBitCount
    }

    /// Fills `quotes` (``words(forCount:)`` words, the last a guard of all ones) with the quote
    /// bits of the `count` bytes at `bytes`; `false` if the document has a backslash or a byte
    /// below 0x20.
    static func findQuotes(_ bytes: UnsafePointer<UInt8>, count: Int, into quotes: UnsafeMutablePointer<UInt64>) -> Bool {
        var unusual: UInt64 = 0
        let full = count &>> 6
        var i = 0
        while i < full {
            let block = JSONBlockClasses(UnsafeRawPointer(bytes + (i &<< 6)))
            unusual |= block.unusual
            quotes[i] = block.quotes
            i &+= 1
        }
        let rest = count & 63
        if rest != 0 {
            var last: JSONBlockClasses
            if full > 0 {
                // The last, partial block: the 64 bytes ending at the end, shifted down.
                last = JSONBlockClasses(UnsafeRawPointer(bytes + (count &- 64)))
                last.quotes &>>= UInt64(64 &- rest)
                last.unusual &>>= UInt64(64 &- rest)
            } else {
                // A document shorter than a block, from a copy padded with spaces.
                var tail: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
                last = withUnsafeMutableBytes(of: &tail) { tail in
                    tail.initializeMemory(as: UInt8.self, repeating: 0x20)
                    tail.baseAddress.unsafelyUnwrapped.copyMemory(from: bytes, byteCount: rest)
                    return JSONBlockClasses(UnsafeRawPointer(tail.baseAddress.unsafelyUnwrapped))
                }
            }
            unusual |= last.unusual
            quotes[full] = last.quotes
        }
        // A guard no search runs past, even on a document the scan is about to refuse.
        quotes[(count &+ 63) &>> 6] = ~0
        return unusual == 0
    }

    /// Fills `closes` with the closing quotes among `quotes` (both ``words(forCount:)`` words,
    /// from ``findQuotes(_:count:into:)``); `false` if the document ends inside a string.
    static func closingQuotes(_ quotes: UnsafePointer<UInt64>, count: Int, into closes: UnsafeMutablePointer<UInt64>) -> Bool {
        let blocks = (count &+ 63) &>> 6
        var inString: UInt64 = 0  // all ones while a string is open across a block boundary
        var i = 0
        while i < blocks {
            // Ones from each opening quote up to, not including, its closing quote.
            let inside = JSONBlockClasses.prefixXOR(quotes[i]) ^ inString
            inString = UInt64(bitPattern: Int64(bitPattern: inside) &>> 63)
            closes[i] = quotes[i] & ~inside
            i &+= 1
        }
        closes[blocks] = ~0
        return inString == 0
    }
}

/// Skips strings by looking up their closing quote in the closing quotes of a
/// ``JSONQuoteIndex``.
struct IndexedStringSkipper: JSONStringSkipper {
    /// The closing-quote words, for the document that starts at the scanner's `start`.
    let closes: UnsafePointer<UInt64>

    /// The first closing quote after `open`.
    @inline(__always)
    private func closingQuote(after open: UnsafePointer<UInt8>, start: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        start + JSONQuoteIndex.nextBit(after: open - start, in: UnsafePointer(closes))
    }

    @inline(__always)
    func skipString(_ open: UnsafePointer<UInt8>, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) throws(JSONScanError)
        -> (next: UnsafePointer<UInt8>, escaped: Bool)
    {
        (closingQuote(after: open, start: start) + 1, false)
    }

    @inline(__always)
    func skipKey(_ open: UnsafePointer<UInt8>, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) throws(JSONScanError)
        -> (next: UnsafePointer<UInt8>, length: Int, head: UInt64)
    {
        let close = closingQuote(after: open, start: start)
        let length = close - open &- 1
        return (close + 1, length, Self.keyHead(open + 1, length: length, end: end))
    }
}
