import Foundation

/// A whole file mapped read-only into memory, handed out as byte ranges that end on line
/// boundaries, so several threads can parse one NDJSON file in place without copying it.
///
/// `@unchecked Sendable`: the mapping is read-only and only unmapped in `deinit`, when no
/// thread can still hold the object, so any thread may read it concurrently.
final class MappedFile: @unchecked Sendable {
    let path: String
    let count: Int
    private let base: UnsafeRawPointer?

    /// Pages already parsed are dropped from the process every this many bytes, so the
    /// resident set stays small however large the file is.
    static let releaseEvery = 32 << 20

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path]) }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else { throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path]) }
        _ = madvise(mapped, count, MADV_SEQUENTIAL)
        base = UnsafeRawPointer(mapped)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// `parts` consecutive ranges covering the file, each starting at the beginning of a
    /// line and ending after a newline (or at the end of the file). Some may be empty.
    func lineAlignedRanges(parts: Int) -> [Range<Int>] {
        guard let base, parts > 1 else { return [0..<count] }
        var bounds = [0]
        for i in 1..<parts {
            var cut = max(count / parts * i, bounds.last!)
            if cut > 0 && cut < count && base.load(fromByteOffset: cut - 1, as: UInt8.self) != UInt8(ascii: "\n") {
                if let newline = memchr(base + cut, Int32(UInt8(ascii: "\n")), count - cut) {
                    cut = base.distance(to: UnsafeRawPointer(newline)) + 1
                } else {
                    cut = count
                }
            }
            bounds.append(cut)
        }
        bounds.append(count)
        return (0..<parts).map { bounds[$0]..<bounds[$0 + 1] }
    }

    /// Calls `body` with every non-empty line of `range` (without its newline), in place.
    /// Parsed pages are released as it goes, so they do not stay resident.
    @inline(__always)
    func forEachLine(in range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let base, !range.isEmpty else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var start = range.lowerBound
        var released = start
        while start < range.upperBound {
            let end: Int
            if let newline = memchr(bytes + start, Int32(UInt8(ascii: "\n")), range.upperBound - start) {
                end = UnsafeRawPointer(bytes).distance(to: UnsafeRawPointer(newline))
            } else {
                end = range.upperBound
            }
            if end > start { body(UnsafeBufferPointer(start: bytes + start, count: end - start)) }
            start = end + 1
            if start - released >= Self.releaseEvery {
                release(from: released, to: start)
                released = start
            }
        }
        release(from: released, to: range.upperBound)
    }

    /// Drops the whole pages inside `from..<to` from the resident set (they stay readable).
    private func release(from: Int, to: Int) {
        guard let base else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (from + page - 1) / page * page
        let last = to / page * page
        if last > first { _ = madvise(UnsafeMutableRawPointer(mutating: base + first), last - first, MADV_DONTNEED) }
    }
}
