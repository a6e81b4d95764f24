#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file writes for the local state stores: write `NAME.tmp`, fsync it, rename it
/// over `NAME`, fsync the directory. A crash at any point leaves the old file or the new one,
/// never a torn one under the final name.
enum AtomicFile {
    /// Why a file operation failed: the path and the system's reason.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): \(reason)" }
    }

    /// Writes `parts` (concatenated) to `path` atomically. With `keepPrevious`, the file it
    /// replaces is first renamed to `path.prev`.
    static func replace(_ path: String, with parts: [[UInt8]], directory: String, keepPrevious: Bool = false) throws(Failure) {
        try makeDirectories(directory)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure(path: temporary, reason: "cannot create: \(errnoText())") }
        var ok = parts.allSatisfy { writeAll(fd, $0) }
        ok = ok && fsync(fd) == 0
        let failure = ok ? nil : errnoText()
        close(fd)
        if let failure {
            unlink(temporary)
            throw Failure(path: temporary, reason: "cannot write: \(failure)")
        }
        if keepPrevious && access(path, F_OK) == 0 && rename(path, path + ".prev") != 0 {
            throw Failure(path: path, reason: "cannot keep the previous file: \(errnoText())")
        }
        guard rename(temporary, path) == 0 else { throw Failure(path: path, reason: "cannot install: \(errnoText())") }
        syncDirectory(directory)
    }

    /// The whole file.
    static func contents(of path: String) -> Result<[UInt8], Failure> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(Failure(path: path, reason: "cannot open: \(errnoText())")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(Failure(path: path, reason: "cannot stat: \(errnoText())")) }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return .failure(Failure(path: path, reason: "read failed at byte \(done): \(errnoText())")) }
            done += n
        }
        return .success(bytes)
    }

    /// The names in `directory` (empty when it does not exist).
    static func list(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates `directory` and its parents.
    static func makeDirectories(_ directory: String) throws(Failure) {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for part in directory.split(separator: "/") {
            prefix += part + "/"
            if mkdir(prefix, 0o755) == 0 {
                // Make the new entry durable in its parent, or a crash could lose the
                // directory and the files a committed head names.
                let created = String(prefix.dropLast())
                let parent = created.lastIndex(of: "/").map { String(created[..<$0]) } ?? "."
                syncDirectory(parent.isEmpty ? "/" : parent)
            } else if errno != EEXIST {
                throw Failure(path: prefix, reason: "cannot create directory: \(errnoText())")
            }
        }
    }

    /// Makes renames and unlinks in `directory` durable.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
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

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
