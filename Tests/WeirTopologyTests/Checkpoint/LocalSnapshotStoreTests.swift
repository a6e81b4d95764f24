import Foundation
import Testing
@testable import WeirTopology

/// The local snapshot directory: atomic saves, the last two kept, corrupt files detected and
/// the previous one used.
struct LocalSnapshotStoreTests {
    static func directory() -> String { NSTemporaryDirectory() + "weir-snap-\(UInt32.random(in: 0...UInt32.max))/a/b" }

    @Test func savesAndLoadsTheNewestKeepingTheLastTwo() throws {
        let store = LocalSnapshotStore(directory: Self.directory())
        defer { try? FileManager.default.removeItem(atPath: store.directory) }
        #expect(store.load(name: "s") { _ in } == nil)
        try store.save(name: "s", position: 10, payload: [1, 2, 3])
        try store.save(name: "s", position: 20, payload: [4, 5])
        try store.save(name: "s", position: 30, payload: Array(repeating: 7, count: 10_000))
        let loaded = try #require(store.load(name: "s") { Issue.record("unexpected problem: \($0)") })
        #expect(loaded.position == 30 && loaded.payload.count == 10_000 && !loaded.isPrevious)
        let files = try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted()
        #expect(files == ["s", "s.prev"], "no temporary file left, two snapshots kept")
    }

    @Test(arguments: ["flip", "truncate", "empty", "garbage"])
    func aCorruptCurrentFileFallsBackToThePrevious(damage: String) throws {
        let store = LocalSnapshotStore(directory: Self.directory())
        defer { try? FileManager.default.removeItem(atPath: store.directory) }
        try store.save(name: "s", position: 1, payload: Array(0..<200))
        try store.save(name: "s", position: 2, payload: Array(100..<250))
        let path = store.directory + "/s"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        switch damage {
        case "flip": bytes[bytes.count - 5] ^= 0x01
        case "truncate": bytes.removeLast(7)
        case "empty": bytes = []
        default: bytes = Array("not a snapshot at all, but long enough to have a header".utf8)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var problems: [String] = []
        let loaded = try #require(store.load(name: "s") { problems.append($0.description) })
        #expect(loaded.position == 1 && loaded.isPrevious && loaded.payload == Array(0..<200))
        #expect(problems.count == 1 && problems[0].contains(path), "\(problems)")
    }

    @Test func bothCorruptMeansNone() throws {
        let store = LocalSnapshotStore(directory: Self.directory())
        defer { try? FileManager.default.removeItem(atPath: store.directory) }
        try store.save(name: "s", position: 1, payload: [1])
        try store.save(name: "s", position: 2, payload: [2])
        for suffix in ["", ".prev"] { try Data([0x57, 0x45]).write(to: URL(fileURLWithPath: store.directory + "/s" + suffix)) }
        var problems = 0
        #expect(store.load(name: "s") { _ in problems += 1 } == nil)
        #expect(problems == 2)
        store.remove(name: "s")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory).isEmpty)
    }
}
