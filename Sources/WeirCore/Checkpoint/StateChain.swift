/// Chooses what to restore from a task's stored chunks: the newest full chunk that
/// verifies and the unbroken run of verified deltas after it.
public enum StateChain {
    /// Selects the chunks to restore from.
    ///
    /// `stored` is every stored chunk of one task, ordered by sequence ascending (raw
    /// bytes, maybe corrupt; they are sorted again by sequence to be safe). The result is
    /// the newest full chunk whose bytes verify, followed by the consecutive deltas after it
    /// (sequence +1 each) that verify, stopping at the first corrupt one or gap. If the
    /// newest full chunk is corrupt, it falls back to the previous full chunk and its
    /// deltas, and so on. A chunk whose decoded sequence differs from the stored one counts
    /// as corrupt.
    ///
    /// Every chunk after the chosen full that is not used — corrupt, after a gap, or after
    /// the chain stopped — gives one problem line naming its sequence and why. So does
    /// every chunk when no full chunk verifies. Chunks older than the chosen full are not
    /// read.
    ///
    /// - Complexity: O(bytes of the chosen full chunk and the chunks after it).
    public static func select(_ stored: [(sequence: UInt64, bytes: [UInt8])]) -> StateChainSelection {
        let ordered = stored.enumerated().sorted { ($0.element.sequence, $0.offset) < ($1.element.sequence, $1.offset) }.map(\.element)
        var decoded: [Result<StateChunk, StateChunkError>?] = Array(repeating: nil, count: ordered.count)
        func decode(_ i: Int) -> Result<StateChunk, StateChunkError> {
            if let done = decoded[i] { return done }
            let result: Result<StateChunk, StateChunkError>
            do throws(StateChunkError) {
                let chunk = try StateChunk(decoding: ordered[i].bytes)
                if chunk.sequence == ordered[i].sequence {
                    result = .success(chunk)
                } else {
                    result = .failure(StateChunkError(
                        .malformedPayload, "stored as sequence \(ordered[i].sequence) but its header says \(chunk.sequence)"))
                }
            } catch {
                result = .failure(error)
            }
            decoded[i] = result
            return result
        }

        var full: Int?
        for i in ordered.indices.reversed() {
            if case .success(let chunk) = decode(i), chunk.kind == .full {
                full = i
                break
            }
        }

        var selection = StateChainSelection()
        guard let full, case .success(let first) = decode(full) else {
            for i in ordered.indices {
                selection.problems.append(line(ordered[i].sequence, decode(i), stop: "no full chunk before it verifies"))
            }
            return selection
        }
        selection.chunks.append(first)
        selection.fullBytes = ordered[full].bytes.count
        var stop: String?
        for i in (full + 1)..<ordered.count {
            let result = decode(i)
            if stop == nil, case .success(let chunk) = result {
                let expected = selection.chunks.last!.sequence &+ 1
                if chunk.sequence == expected, chunk.kind == .delta {
                    selection.chunks.append(chunk)
                    selection.deltaBytesSinceFull += ordered[i].bytes.count
                    continue
                }
                stop = chunk.sequence == expected
                    ? "an unexpected full chunk after a verified full"
                    : "a gap: expected sequence \(expected) after \(expected &- 1)"
                selection.problems.append("chunk \(chunk.sequence): skipped: \(stop!)")
                continue
            }
            if stop == nil, case .failure = result { stop = "chunk \(ordered[i].sequence) is corrupt" }
            selection.problems.append(line(ordered[i].sequence, result, stop: "the chain stopped before it (\(stop!))"))
        }
        return selection
    }

    /// One problem line: the error of a corrupt chunk, or why a sound one was skipped.
    private static func line(_ sequence: UInt64, _ result: Result<StateChunk, StateChunkError>, stop: String) -> String {
        switch result {
        case .failure(let error): return "chunk \(sequence): corrupt: \(error)"
        case .success: return "chunk \(sequence): skipped: \(stop)"
        }
    }
}

/// What ``StateChain/select(_:)`` chose to restore from, and what it had to skip.
public struct StateChainSelection: Sendable {
    /// The full chunk first, then its deltas in sequence order; empty when nothing is usable.
    public var chunks: [StateChunk] = []
    /// One human-readable line per corrupt or skipped chunk.
    public var problems: [String] = []
    /// The next input offset to read after restoring, `nil` when nothing is usable.
    public var nextOffset: Int64? { chunks.last?.nextOffset }
    /// The sequence of the last chunk restored; the next checkpoint uses this plus one.
    public var lastSequence: UInt64? { chunks.last?.sequence }
    /// Sum of the stored sizes of the deltas after the chosen full chunk (for deciding when
    /// to write a full chunk again), counted as a task counts the chunks it writes.
    public var deltaBytesSinceFull = 0
    /// Stored size of the chosen full chunk.
    public var fullBytes = 0

    /// An empty selection.
    public init() {}
}
