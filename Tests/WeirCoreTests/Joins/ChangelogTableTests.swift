import Testing
import WeirCore

/// The changelog table: upserts, tombstones, the change it reports, and snapshots.
struct ChangelogTableTests {
    @Test func applyReportsWhatEachEntryDid() {
        var table = ChangelogTable<String, Int>()
        #expect(table.apply(ChangelogRecord(key: "a", value: 1)) == .inserted)
        #expect(table.apply(ChangelogRecord(key: "a", value: 2)) == .updated(previous: 1))
        #expect(table["a"] == 2 && table.count == 1)
        #expect(table.apply(.tombstone("a")) == .deleted(previous: 2))
        #expect(table.apply(.tombstone("a")) == .tombstoneForAbsentKey)
        #expect(table["a"] == nil && table.count == 0)
    }

    @Test func innerDropsAndCountsUnmatchedLeftOuterKeepsThem() {
        var inner = StreamTableJoin<String, Int, String>(mode: .inner)
        var outer = StreamTableJoin<String, Int, String>(mode: .leftOuter)
        let changes = [ChangelogRecord(key: "u1", value: "Paris"), ChangelogRecord(key: "u2", value: "Oslo"), .tombstone("u2")]
        inner.applyChangelog(changes)
        outer.applyChangelog(changes)
        let events = [JoinRecord(key: "u1", timestamp: 1, value: 10), JoinRecord(key: "u2", timestamp: 2, value: 20)]
        var a: [StreamTableJoinResult<String, Int, String>] = [], b = a
        inner.processStream(events, into: &a)
        outer.processStream(events, into: &b)
        #expect(a.map(\.tableValue) == ["Paris"])
        #expect(b.map(\.tableValue) == ["Paris", nil])
        #expect(inner.unmatchedCount == 1 && outer.unmatchedCount == 0 && inner.changelogCount == 3)
    }

    @Test func snapshotRestoresTheRowsAndRefusesBadSnapshots() throws {
        var table = ChangelogTable<String, Int>()
        table.apply([ChangelogRecord(key: "a", value: 1), ChangelogRecord(key: "b", value: 2), .tombstone("a")])
        let restored = try ChangelogTable(restoring: table.snapshot())
        #expect(restored.count == 1 && restored["b"] == 2)
        var future = table.snapshot()
        future.version = 99
        #expect(throws: JoinSnapshotError.self) { try ChangelogTable(restoring: future) }
        let duplicated = ChangelogTableSnapshot<String, Int>(rows: [.init(key: "x", value: 1), .init(key: "x", value: 2)])
        do {
            _ = try ChangelogTable(restoring: duplicated)
            Issue.record("duplicate key accepted")
        } catch {
            #expect(error.code == .duplicateKey)
        }
    }
}
