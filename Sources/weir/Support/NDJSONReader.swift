import Foundation

/// Reads an NDJSON file in large blocks into one reusable buffer and hands out each line
/// in place, so memory stays flat whatever the file size.
struct NDJSONReader {
    let path: String
    var blockSize = 8 << 20

    /// Calls `body` with every non-empty line (without its newline).
    func forEachLine(_ body: (UnsafeBufferPointer<UInt8>) -> Void) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: blockSize)
        var carried = 0  // bytes of an unfinished line at the start of the buffer
        while true {
            if carried == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let n = buffer.withUnsafeMutableBytes { raw in
                read(fd, raw.baseAddress! + carried, raw.count - carried)
            }
            guard n >= 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path]) }
            let filled = carried + n
            let atEnd = n == 0
            carried = buffer.withUnsafeBufferPointer { bytes -> Int in
                var start = 0
                var i = 0
                while i < filled {
                    if bytes[i] == UInt8(ascii: "\n") {
                        if i > start { body(UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                        start = i + 1
                    }
                    i += 1
                }
                if atEnd {
                    if filled > start { body(UnsafeBufferPointer(rebasing: bytes[start..<filled])) }
                    return 0
                }
                return filled - start
            }
            if atEnd { return }
            if carried > 0 {
                let tail = filled - carried
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + tail, byteCount: carried)
                }
            }
        }
    }
}
