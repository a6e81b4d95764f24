/// Validates a JSON document in one pass and records where a few requested fields lie,
/// without decoding anything else and without allocating.
///
/// Create one extractor per task and reuse it for every record: ``slots`` is overwritten
/// by each ``scan(_:)``.
///
/// A document with the shape of an earlier one is accepted by comparing its bytes outside
/// its value strings (``JSONShapeCache``). Otherwise strings, the bulk of a typical event,
/// are skipped by a precomputed index of closing quotes (``JSONQuoteIndex``) or, for
/// documents with escapes or control bytes or over ``quoteIndexLimit`` bytes, eight bytes
/// at a time. Object keys are compared with the requested ones by length and first
/// eight bytes (see ``JSONKeyPattern``).
///
/// - Complexity: O(n) in the payload length; at most 64 requested paths.
public struct JSONFieldExtractor: Sendable {
    /// The requested paths, in the order their slots appear in ``slots``.
    public let paths: [JSONFieldPath]
    /// After a successful scan, `slots[i]` describes the value at `paths[i]`.
    public private(set) var slots: [JSONValueSlot]
    /// Nesting deeper than this is rejected, which also bounds recursion.
    public let maxDepth: Int

    private let rootMask: UInt64
    /// `patterns[depth * paths.count + path]`: the key path `path` wants at `depth` (depth
    /// major, so that matching a key reads one row and multiplies once).
    private let patterns: [JSONKeyPattern]
    /// The key bytes the patterns point into.
    private let keyBytes: [UInt8]

    public init(paths: [JSONFieldPath], maxDepth: Int = 64) {
        precondition(paths.count <= 64, "at most 64 paths")
        self.paths = paths
        self.slots = Array(repeating: .missing, count: paths.count)
        self.maxDepth = maxDepth
        self.rootMask = paths.isEmpty ? 0 : (paths.count == 64 ? ~0 : (UInt64(1) << UInt64(paths.count)) - 1)
        // One spare depth per path: a finished path may still sit in the mask one level down,
        // where its never-matching pattern drops it.
        let depths = (paths.map(\.components.count).max() ?? 0) + 1
        var patterns: [JSONKeyPattern] = []
        var keyBytes: [UInt8] = []
        for depth in 0..<depths {
            for path in paths {
                if depth < path.components.count {
                    let key = path.components[depth]
                    patterns.append(JSONKeyPattern(key, offset: keyBytes.count, isLast: depth == path.components.count - 1))
                    keyBytes.append(contentsOf: key)
                } else {
                    patterns.append(.never)
                }
            }
        }
        self.patterns = patterns
        self.keyBytes = keyBytes
    }

    /// The quote index of the document being scanned, sized for ``quoteIndexLimit``: its
    /// closing quotes, then all its quotes.
    private var quoteIndex = [UInt64](repeating: 0, count: 2 * JSONQuoteIndex.words(forCount: JSONFieldExtractor.quoteIndexLimit))
    /// The words of the ``JSONShapeCache``.
    private var shapeWords = [UInt64](repeating: 0, count: JSONShapeCache.wordCount)

    /// How many documents so far were accepted by having the shape of an earlier one, without
    /// a grammar walk (see ``scan(_:)``): a statistic for tests and benchmarks.
    public var documentsMatchedByShape: UInt64 { shapeWords[JSONShapeCache.matchedWord] }

    /// Documents up to this size are indexed first (``JSONQuoteIndex``); larger ones are
    /// scanned word by word.
    static let quoteIndexLimit = 64 << 10

    /// Scans `bytes`, which must hold exactly one JSON value (surrounding white space allowed).
    ///
    /// A document of up to ``quoteIndexLimit`` bytes with the cached shape is accepted
    /// without a grammar walk (``JSONShapeCache``). Otherwise such a document without
    /// backslashes and bytes below 0x20 is walked with its quote index. Every other document,
    /// and any document that walk refuses, is scanned word by word. Only that scan reports
    /// errors; the shape match and the indexed walk accept exactly the documents it accepts,
    /// so the path taken never changes the result.
    public mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanError) {
        let failure = withScanner { scanner -> JSONScanError? in
            do throws(JSONScanError) {
                try scanner.scan(bytes)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Calls `body` with a scanner that works in this extractor's buffers, pinned once for
    /// any number of scans: a batch of records pays for the pinning once, not per record.
    /// The scanner is valid only during the call.
    @usableFromInline
    mutating func withScanner<R>(_ body: (Pinned) -> R) -> R {
        let maxDepth = self.maxDepth
        let rootMask = self.rootMask
        let stride = paths.count
        return patterns.withUnsafeBufferPointer { patterns in
            keyBytes.withUnsafeBufferPointer { keyBytes in
                slots.withUnsafeMutableBufferPointer { slots in
                    quoteIndex.withUnsafeMutableBufferPointer { quoteIndex in
                        shapeWords.withUnsafeMutableBufferPointer { shapeWords in
                            let words = quoteIndex.count / 2
                            return body(Pinned(
                                paths: JSONPathTable(
                                    patterns: patterns.baseAddress, stride: stride, keyBytes: keyBytes.baseAddress,
                                    slots: slots.baseAddress),
                                closes: quoteIndex.baseAddress.unsafelyUnwrapped,
                                quotes: quoteIndex.baseAddress.unsafelyUnwrapped + words,
                                shapes: JSONShapeCache(words: shapeWords.baseAddress.unsafelyUnwrapped),
                                rootMask: rootMask, maxDepth: maxDepth))
                        }
                    }
                }
            }
        }
    }

    /// A scanner over an extractor's pinned buffers (see ``withScanner(_:)``).
    @usableFromInline
    struct Pinned {
        let paths: JSONPathTable
        let closes: UnsafeMutablePointer<UInt64>
        let quotes: UnsafeMutablePointer<UInt64>
        let shapes: JSONShapeCache
        let rootMask: UInt64
        let maxDepth: Int

        /// ``JSONFieldExtractor/scan(_:)``, filling the pinned slots.
        @usableFromInline
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanError) {
            if bytes.count <= JSONFieldExtractor.quoteIndexLimit, scanIndexed(bytes) { return }
            try scanWordwise(bytes)
        }

        /// The value found at path `index` by the last successful scan.
        @usableFromInline
        func slot(_ index: Int) -> JSONValueSlot { paths.slots.unsafelyUnwrapped[index] }

        private func clearSlots() {
            guard let slots = paths.slots else { return }
            for i in 0..<paths.stride { slots[i] = .missing }  // one slot per path
        }

        /// The scan with a quote index; `false` if the document gets no index or is refused.
        func scanIndexed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let start = bytes.baseAddress else { return false }
            let count = bytes.count
            clearSlots()
            // Slots have an address even for an extractor without paths (then none is filled).
            if let slots = paths.slots, shapes.match(start, count: count, slots: slots) { return true }
            guard JSONQuoteIndex.findQuotes(start, count: count, into: quotes) else { return false }
            clearSlots()
            guard scanWithClosingQuotes(start, count: count) else { return false }
            guard let slots = paths.slots else { return true }
            shapes.record(start, count: count, quotes: quotes, slots: slots, slotCount: paths.stride)
            return true
        }

        /// The grammar walk of a document whose quotes are indexed.
        private func scanWithClosingQuotes(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
            guard JSONQuoteIndex.closingQuotes(quotes, count: count, into: closes) else { return false }
            let scanner = JSONScanner(
                start: start, end: start + count, strings: IndexedStringSkipper(closes: UnsafePointer(closes)),
                paths: paths, maxDepth: maxDepth)
            do throws(JSONScanError) {
                try scanner.scanDocument(mask: rootMask)
                return true
            } catch {
                return false
            }
        }

        /// The word-at-a-time scan of `bytes`, which names the error of an invalid document.
        func scanWordwise(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanError) {
            clearSlots()
            // An empty buffer may have no address; nothing is read from it then.
            let start = bytes.baseAddress ?? UnsafePointer(bitPattern: 1).unsafelyUnwrapped
            let scanner = JSONScanner(start: start, end: start + bytes.count, strings: WordStringSkipper(), paths: paths, maxDepth: maxDepth)
            try scanner.scanDocument(mask: rootMask)
        }
    }
}
