import Foundation
import WeirCore

/// Seeds for randomized tests: fixed so that every run is reproducible; set
/// `WEIR_TEST_SEED` to explore other sequences. Failure messages always print the seed.
enum TestSeed {
    static func value(default fallback: UInt64) -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["WEIR_TEST_SEED"], let seed = UInt64(text) { return seed }
        return fallback
    }
}

extension SplitMix64 {
    /// A uniform integer in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// The byte offsets of the first occurrence of `needle` in `haystack`, compared as UTF-8.
func byteRange(of needle: String, in haystack: String) -> Range<Int>? {
    let h = Array(haystack.utf8)
    let n = Array(needle.utf8)
    guard n.count <= h.count else { return nil }
    for start in 0...(h.count - n.count) where h[start..<(start + n.count)].elementsEqual(n) {
        return start..<(start + n.count)
    }
    return nil
}

extension JSONFieldExtractor {
    /// Scans `bytes` and returns the error instead of throwing it.
    mutating func scanning(_ bytes: [UInt8]) -> JSONScanError? {
        bytes.withUnsafeBufferPointer { (buffer) -> JSONScanError? in
            do throws(JSONScanError) {
                try scan(buffer)
                return nil
            } catch {
                return error
            }
        }
    }

    /// Scans `text` and returns the error instead of throwing it.
    mutating func scanning(_ text: String) -> JSONScanError? { scanning(Array(text.utf8)) }
}

/// A JSON path from a literal, failing loudly on a typo in the test itself.
func path(_ dotted: String) -> JSONFieldPath {
    guard let p = JSONFieldPath(dotted) else { fatalError("bad test path \(dotted)") }
    return p
}
