#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeirCore

/// A local directory of named, checksummed snapshot files, for the embedded default (state
/// that is too large to rewrite into PostgreSQL at every commit, such as an HNSW shard).
///
/// Each save writes `NAME.tmp`, fsyncs it, moves the current `NAME` to `NAME.prev`, renames the
/// temporary file to `NAME` and fsyncs the directory: a crash at any point leaves a complete
/// current or previous file. The last two snapshots are kept. A file is framed as
/// `"WEIRSNP1" | version u32 | position i64 | payload length u64 | XXH64(payload) u64 | payload`
/// (little-endian), so a torn or altered file is detected and the previous one is used.
public struct LocalSnapshotStore: Sendable {
    /// A loaded snapshot: the state and the input position it covers.
    public struct Snapshot: Sendable {
        /// The next input offset after the last record the state includes.
        public var position: Int64
        public var payload: [UInt8]
        /// Whether it came from `NAME.prev` because the current file was unusable.
        public var isPrevious: Bool
    }

    /// Why a snapshot file was not used.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "\(file): \(reason)" }
    }

    /// The directory (created on first save).
    public let directory: String
    /// The format version written into each file.
    public static let formatVersion: UInt32 = 1
    private static let magic = Array("WEIRSNP1".utf8)
    private static let headerSize = 8 + 4 + 8 + 8 + 8

    public init(directory: String) { self.directory = directory }

    /// Writes a snapshot of `payload` covering input up to `position`, atomically.
    public func save(name: String, position: Int64, payload: [UInt8]) throws(Problem) {
        try makeDirectories()
        let path = "\(directory)/\(name)"
        var header: [UInt8] = Self.magic
        header.reserveCapacity(Self.headerSize)
        Self.append(UInt64(Self.formatVersion), bytes: 4, to: &header)
        Self.append(UInt64(bitPattern: position), bytes: 8, to: &header)
        Self.append(UInt64(payload.count), bytes: 8, to: &header)
        Self.append(XXHash64.hash(payload), bytes: 8, to: &header)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Problem(file: temporary, reason: "cannot create: \(Self.errnoText())") }
        var ok = Self.writeAll(fd, header) && Self.writeAll(fd, payload)
        ok = ok && fsync(fd) == 0
        let failure = ok ? nil : Self.errnoText()
        close(fd)
        if let failure {
            unlink(temporary)
            throw Problem(file: temporary, reason: "cannot write: \(failure)")
        }
        if access(path, F_OK) == 0 && rename(path, path + ".prev") != 0 {
            throw Problem(file: path, reason: "cannot keep the previous snapshot: \(Self.errnoText())")
        }
        guard rename(temporary, path) == 0 else { throw Problem(file: path, reason: "cannot install: \(Self.errnoText())") }
        let dirFD = open(directory, O_RDONLY)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// The newest usable snapshot of `name`: the current file, or the previous one when the
    /// current one is missing, torn or fails its checksum (each unusable file is reported
    /// through `onProblem`). nil when neither is usable.
    public func load(name: String, onProblem: (Problem) -> Void) -> Snapshot? {
        let path = "\(directory)/\(name)"
        for (candidate, isPrevious) in [(path, false), (path + ".prev", true)] {
            guard access(candidate, F_OK) == 0 else { continue }
            switch Self.readFile(candidate) {
            case .success(let (position, payload)):
                return Snapshot(position: position, payload: payload, isPrevious: isPrevious)
            case .failure(let problem):
                onProblem(problem)
            }
        }
        return nil
    }

    /// Deletes both files of `name` (state that no longer applies).
    public func remove(name: String) {
        let path = "\(directory)/\(name)"
        unlink(path)
        unlink(path + ".prev")
    }

    private static func readFile(_ path: String) -> Result<(Int64, [UInt8]), Problem> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(Problem(file: path, reason: "cannot open: \(errnoText())")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(Problem(file: path, reason: "cannot stat: \(errnoText())")) }
        let size = Int(info.st_size)
        guard size >= headerSize else { return .failure(Problem(file: path, reason: "truncated: \(size) bytes, shorter than the header")) }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            guard n > 0 else { return .failure(Problem(file: path, reason: "read failed at byte \(done): \(errnoText())")) }
            done += n
        }
        guard Array(bytes[0..<8]) == magic else { return .failure(Problem(file: path, reason: "not a Weir snapshot (bad magic)")) }
        let version = UInt32(truncatingIfNeeded: load(bytes, at: 8, count: 4))
        guard version == formatVersion else { return .failure(Problem(file: path, reason: "format version \(version), this build reads \(formatVersion)")) }
        let position = Int64(bitPattern: load(bytes, at: 12, count: 8))
        let length = Int(load(bytes, at: 20, count: 8))
        let checksum = load(bytes, at: 28, count: 8)
        guard length == size - headerSize else {
            return .failure(Problem(file: path, reason: "partial: header says \(length) payload bytes, the file holds \(size - headerSize)"))
        }
        let payload = Array(bytes[headerSize...])
        guard XXHash64.hash(payload) == checksum else { return .failure(Problem(file: path, reason: "checksum mismatch (the file was altered or torn)")) }
        return .success((position, payload))
    }

    private func makeDirectories() throws(Problem) {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for part in directory.split(separator: "/") {
            prefix += part + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw Problem(file: prefix, reason: "cannot create directory: \(Self.errnoText())")
            }
        }
    }

    private static func append(_ value: UInt64, bytes: Int, to out: inout [UInt8]) {
        for i in 0..<bytes { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    private static func load(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
