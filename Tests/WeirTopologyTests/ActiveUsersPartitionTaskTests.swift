import Testing
import WeirCore
@testable import WeirTopology

/// One task's checkpoint bookkeeping: when it may checkpoint, what its chunk and rows cover.
struct ActiveUsersPartitionTaskTests {
    static func pipeline() throws -> TopologyDefinition.ActiveUsersPipeline {
        let yaml = """
            name: t
            source: {kafka: {bootstrap: b:1, topic: events}}
            events: {}
            aggregate: {kind: active_users}
            sink: {postgres: {url: postgresql://db/weir}}
            """
        return try #require(try TopologyLoader.parse(yaml: yaml, file: "t.yaml").activeUsers)
    }

    static func record(_ task: ActiveUsersPartitionTask, day: Int, user: String, offset: Int64) {
        Array(user.utf8).withUnsafeBufferPointer { _ = task.state.record(day: day, userId: $0) }
        task.nextOffset = offset + 1
        task.pendingRecords += 1
    }

    @Test func aTaskReplayingFromTheStartDoesNotCheckpointBeforeItsFirstRecord() throws {
        let pipeline = try Self.pipeline()
        // Offsets and a head exist, but the state was unusable: the task replays from the
        // log start. Checkpointing now would store empty state at the old offset 500.
        let task = ActiveUsersPartitionTask(partition: 0, configuration: pipeline.configuration, head: 7)
        task.committedOffset = 500
        #expect(!task.needsCheckpoint)
        Self.record(task, day: 20_000, user: "u1", offset: 0)
        #expect(task.needsCheckpoint)
        let checkpoint = task.prepareCheckpoint(pipeline: pipeline, inlineBytes: true)
        #expect(checkpoint.write.nextOffset == 1)
        #expect(checkpoint.write.sequence == 8)
        #expect(checkpoint.write.isFull)
    }

    @Test func rowsRunThroughTheLatestDayPlusTheLargestWindow() throws {
        let pipeline = try Self.pipeline()
        let task = ActiveUsersPartitionTask(partition: 2, configuration: pipeline.configuration, head: 0)
        Self.record(task, day: 20_000, user: "u1", offset: 0)
        Self.record(task, day: 20_001, user: "u2", offset: 1)
        let first = task.prepareCheckpoint(pipeline: pipeline, inlineBytes: true)
        let days = try #require(first.partial).report.days
        #expect(days.first?.day == 20_000)
        #expect(days.last?.day == 20_001 + 29, "a user active on day d is in the 30-day window through d+29")
        #expect(days.last?.mau == 1 && days.last?.dau == 0)
        task.committed(first)
        #expect(task.reportedThrough == 20_030)
        #expect(!task.needsCheckpoint)

        // A repeat on the latest day: only that day's rows (and later) are rewritten.
        Self.record(task, day: 20_001, user: "u2", offset: 2)
        let second = task.prepareCheckpoint(pipeline: pipeline, inlineBytes: true)
        #expect(second.partial?.fromDay == 20_001)
        #expect(!second.write.isFull, "a small change after a full snapshot is a delta")
        #expect(second.write.pruneBelow == nil)
        task.committed(second)

        // A new latest day extends the rows by one day.
        Self.record(task, day: 20_002, user: "u3", offset: 3)
        let third = task.prepareCheckpoint(pipeline: pipeline, inlineBytes: true)
        #expect(third.partial?.report.days.last?.day == 20_031)
    }
}
