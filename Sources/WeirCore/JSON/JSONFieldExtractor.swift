/// Validates a JSON document in one pass and records where a few requested fields lie,
/// without decoding anything else and without allocating.
///
/// Create one extractor per task and reuse it for every record: ``slots`` is overwritten
/// by each ``scan(_:)``.
///
/// Strings are skipped eight bytes at a time, and object keys are compared with the requested
/// ones by length and first eight bytes, as loaded by that skip (see ``JSONKeyPattern``).
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
    /// `patterns[depth * patternStride + path]`: the key path `path` wants at `depth` (depth
    /// major, so that matching a key reads one row and multiplies once).
    private let patterns: [JSONKeyPattern]
    /// The key bytes the patterns point into.
    private let keyBytes: [UInt8]
    private let patternStride: Int

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
        self.patternStride = paths.count
    }

    /// Scans `bytes`, which must hold exactly one JSON value (surrounding white space allowed).
    public mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanError) {
        let maxDepth = self.maxDepth
        let rootMask = self.rootMask
        let stride = patternStride
        let failure: JSONScanError? = patterns.withUnsafeBufferPointer { patterns in
            keyBytes.withUnsafeBufferPointer { keyBytes in
                slots.withUnsafeMutableBufferPointer { slots in
                    for i in slots.indices { slots[i] = .missing }
                    // An empty buffer may have no address; nothing is read from it then.
                    let start = bytes.baseAddress ?? UnsafePointer(bitPattern: 1).unsafelyUnwrapped
                    let scanner = JSONScanner(
                        start: start, end: start + bytes.count, patterns: patterns.baseAddress, patternStride: stride,
                        keyBytes: keyBytes.baseAddress, slots: slots.baseAddress, maxDepth: maxDepth)
                    do throws(JSONScanError) {
                        try scanner.scanDocument(mask: rootMask)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
        }
        if let failure { throw failure }
    }
}
