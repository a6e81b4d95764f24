#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local-directory state store of one operator: each task's ``StateChunk`` files, for
/// the embedded default.
///
/// Layout: `DIR/GROUP/OPERATOR/TOPIC-PARTITION/SEQUENCE.chunk` (names escaped, sequence
/// zero-padded). One machine's processes only: the heads are in PostgreSQL, the files are not. A chunk is written atomically (``AtomicFile``) **before** the PostgreSQL
/// transaction that commits the results and offsets it matches; that transaction records
/// the chunk's sequence as the task's head. On restore only chunks up to the head count;
/// a file beyond it is a leftover of a crash between the two and is deleted.
struct LocalStateDirectory: Sendable {
    let root: String
    let topic: String

    init(directory: String, consumerGroup: String, operatorName: String, topic: String) {
        root = "\(directory)/\(Self.sanitize(consumerGroup))/\(Self.sanitize(operatorName))"
        self.topic = topic
    }

    func directory(partition: Int32) -> String { "\(root)/\(Self.sanitize(topic))-\(partition)" }

    private func path(partition: Int32, sequence: UInt64) -> String {
        let digits = String(sequence)
        return "\(directory(partition: partition))/\(String(repeating: "0", count: max(0, 20 - digits.count)))\(digits).chunk"
    }

    /// Writes one chunk durably.
    func write(_ bytes: [UInt8], partition: Int32, sequence: UInt64) throws(AtomicFile.Failure) {
        try AtomicFile.replace(path(partition: partition, sequence: sequence), with: [bytes], directory: directory(partition: partition))
    }

    /// The chunks of `partition` with sequence <= `head`, ascending; later files are deleted.
    /// An unreadable file is returned as empty bytes (its checksum then fails, and the chain
    /// falls back before it).
    func load(partition: Int32, head: UInt64) -> [(sequence: UInt64, bytes: [UInt8])] {
        var found: [(UInt64, [UInt8])] = []
        for (sequence, name) in sequences(partition: partition) {
            let file = "\(directory(partition: partition))/\(name)"
            if sequence > head {
                unlink(file)
                continue
            }
            switch AtomicFile.contents(of: file) {
            case .success(let bytes): found.append((sequence, bytes))
            case .failure: found.append((sequence, []))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// Deletes the chunks of `partition` with a sequence below `sequence`.
    func prune(partition: Int32, below sequence: UInt64) {
        for (s, name) in sequences(partition: partition) where s < sequence {
            unlink("\(directory(partition: partition))/\(name)")
        }
        AtomicFile.syncDirectory(directory(partition: partition))
    }

    /// Deletes every chunk of this operator and group (a reset).
    func removeAll() {
        for task in AtomicFile.list(root) {
            let dir = "\(root)/\(task)"
            for name in AtomicFile.list(dir) { unlink("\(dir)/\(name)") }
            rmdir(dir)
        }
    }

    private func sequences(partition: Int32) -> [(UInt64, String)] {
        AtomicFile.list(directory(partition: partition)).compactMap { name in
            guard name.hasSuffix(".chunk"), let s = UInt64(name.dropLast(6)) else { return nil }
            return (s, name)
        }
    }

    /// Keeps ASCII letters, digits and `-`; every other byte becomes `_` and two hex
    /// digits, so distinct names never share a directory (`a.b` → `a_2Eb`, `a_b` → `a_5Fb`).
    static func sanitize(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || c == "-") {
                out.append(c)
            } else {
                out += "_" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
