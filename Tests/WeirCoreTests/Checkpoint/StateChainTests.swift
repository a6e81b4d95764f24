import Testing
import WeirCore

/// ``StateChain/select(_:)`` restores from the newest full chunk that verifies and the
/// unbroken deltas after it, and reports every chunk it could not use.
struct StateChainTests {
    /// A stored chunk; its payload is its sequence repeated, so sizes differ per chunk.
    func chunk(_ sequence: UInt64, _ kind: StateChunk.Kind, corrupt: Bool = false) -> (sequence: UInt64, bytes: [UInt8]) {
        let payload = Array(repeating: UInt8(truncatingIfNeeded: sequence), count: Int(sequence) + 1)
        var bytes = StateChunk(
            kind: kind, stateFormat: 1, sequence: sequence, nextOffset: Int64(sequence) * 100, keyCount: 1, payload: payload
        ).encoded()
        if corrupt { bytes[bytes.count - 1] ^= 0x10 }
        return (sequence, bytes)
    }

    /// The container's bytes around a payload (header and checksum), the same for every chunk.
    var overhead: Int { chunk(1, .full).bytes.count - 2 }

    @Test func newestFullThenItsDeltas() {
        let selection = StateChain.select([
            chunk(1, .full), chunk(2, .delta), chunk(3, .delta), chunk(4, .full), chunk(5, .delta), chunk(6, .delta),
        ])
        #expect(selection.chunks.map(\.sequence) == [4, 5, 6])
        #expect(selection.chunks.map(\.kind) == [.full, .delta, .delta])
        #expect(selection.problems.isEmpty)
        #expect(selection.nextOffset == 600)
        #expect(selection.lastSequence == 6)
        // Stored sizes, as a task counts the chunks it writes.
        #expect(selection.fullBytes == overhead + 5)
        #expect(selection.deltaBytesSinceFull == 2 * overhead + 6 + 7)
    }

    @Test func aCorruptDeltaStopsTheChainBeforeIt() {
        let selection = StateChain.select([
            chunk(1, .full), chunk(2, .delta), chunk(3, .delta, corrupt: true), chunk(4, .delta),
        ])
        #expect(selection.chunks.map(\.sequence) == [1, 2])
        #expect(selection.nextOffset == 200)
        #expect(selection.problems.count == 2)
        #expect(selection.problems.first?.contains("chunk 3") == true)
        #expect(selection.problems.first?.contains("checksum_mismatch") == true)
        #expect(selection.problems.last?.contains("chunk 4") == true)
    }

    @Test func aCorruptNewestFullFallsBackToThePreviousFullAndItsDeltas() {
        let selection = StateChain.select([
            chunk(1, .full), chunk(2, .delta), chunk(3, .full), chunk(4, .delta), chunk(5, .full, corrupt: true), chunk(6, .delta),
        ])
        #expect(selection.chunks.map(\.sequence) == [3, 4])
        #expect(selection.problems.count == 2)
        #expect(selection.problems[0].contains("chunk 5") && selection.problems[0].contains("corrupt"))
        #expect(selection.problems[1].contains("chunk 6") && selection.problems[1].contains("skipped"))
        #expect(selection.deltaBytesSinceFull == overhead + 5)
    }

    @Test func aGapInSequencesStopsTheChain() {
        let selection = StateChain.select([chunk(1, .full), chunk(2, .delta), chunk(4, .delta), chunk(5, .delta)])
        #expect(selection.chunks.map(\.sequence) == [1, 2])
        #expect(selection.problems.count == 2)
        #expect(selection.problems[0].contains("chunk 4") && selection.problems[0].contains("gap"))
    }

    @Test func aChunkStoredUnderAnotherSequenceIsCorrupt() {
        var moved = chunk(3, .delta)
        moved.sequence = 2
        let selection = StateChain.select([chunk(1, .full), moved])
        #expect(selection.chunks.map(\.sequence) == [1])
        #expect(selection.problems.count == 1)
    }

    @Test func unorderedInputIsOrderedBySequence() {
        let selection = StateChain.select([chunk(3, .delta), chunk(1, .full), chunk(2, .delta)])
        #expect(selection.chunks.map(\.sequence) == [1, 2, 3])
    }

    @Test func nothingUsableGivesAnEmptySelection() {
        let empty = StateChain.select([])
        #expect(empty.chunks.isEmpty && empty.problems.isEmpty && empty.nextOffset == nil && empty.lastSequence == nil)

        let broken = StateChain.select([chunk(1, .full, corrupt: true), chunk(2, .delta), chunk(3, .delta)])
        #expect(broken.chunks.isEmpty)
        #expect(broken.nextOffset == nil)
        #expect(broken.problems.count == 3)

        let garbage = StateChain.select([(1, Array("hello".utf8)), (2, [])])
        #expect(garbage.chunks.isEmpty)
        #expect(garbage.problems.count == 2)
        #expect(garbage.problems[0].contains("bad_magic"))
    }
}
