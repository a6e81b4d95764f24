import Foundation
import Testing
import WeirCore
@testable import WeirTopology

/// The local state store's file layout: escaped names, heads, pruning.
struct LocalStateDirectoryTests {
    @Test func namesThatDifferStayApart() {
        let names = ["prod.a", "prod_a", "prod-a", "prod/a", "prodA", "../x", "événement"]
        let escaped = names.map(LocalStateDirectory.sanitize)
        #expect(Set(escaped).count == names.count, "\(escaped)")
        #expect(escaped.allSatisfy { !$0.contains("/") && !$0.contains(".") })
        #expect(LocalStateDirectory.sanitize("events-1") == "events-1")
    }

    @Test func loadKeepsChunksUpToTheHeadAndDeletesLaterOnes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lsd-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = LocalStateDirectory(directory: dir, consumerGroup: "g.1", operatorName: "active_users:t", topic: "events")
        for s in UInt64(1)...5 { try store.write([UInt8(s)], partition: 3, sequence: s) }
        let loaded = store.load(partition: 3, head: 3)
        #expect(loaded.map(\.sequence) == [1, 2, 3])
        #expect(loaded.map(\.bytes) == [[1], [2], [3]])
        // Files beyond the head (written before a commit that never landed) are gone.
        #expect(store.load(partition: 3, head: 10).map(\.sequence) == [1, 2, 3])
        store.prune(partition: 3, below: 3)
        #expect(store.load(partition: 3, head: 3).map(\.sequence) == [3])
        store.removeAll()
        #expect(store.load(partition: 3, head: 3).isEmpty)
    }
}
