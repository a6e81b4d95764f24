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
        let path = "\(directory)/\(name)"
        var header: [UInt8] = Self.magic
        header.reserveCapacity(Self.headerSize)
        Self.append(UInt64(Self.formatVersion), bytes: 4, to: &header)
        Self.append(UInt64(bitPattern: position), bytes: 8, to: &header)
        Self.append(UInt64(payload.count), bytes: 8, to: &header)
        Self.append(XXHash64.hash(payload), bytes: 8, to: &header)
        do {
            try AtomicFile.replace(path, with: [header, payload], directory: directory, keepPrevious: true)
        } catch {
            throw Problem(file: error.path, reason: error.reason)
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
        let bytes: [UInt8]
        switch AtomicFile.contents(of: path) {
        case .success(let read): bytes = read
        case .failure(let failure): return .failure(Problem(file: path, reason: failure.reason))
        }
        let size = bytes.count
        guard size >= headerSize else { return .failure(Problem(file: path, reason: "truncated: \(size) bytes, shorter than the header")) }
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

    private static func append(_ value: UInt64, bytes: Int, to out: inout [UInt8]) {
        for i in 0..<bytes { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    private static func load(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }
}
