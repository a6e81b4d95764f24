import Testing
import WeirCore

/// Checkpoints of ``ActiveUsers``: deltas hold only what changed, a restore from a full
/// chunk and its deltas continues exactly where the state was, and bad payloads or another
/// configuration are refused with their codes.
struct ActiveUsersCheckpointTests {
    func record(_ state: inout ActiveUsers, day: Int, user: String) {
        Array(user.utf8).withUnsafeBufferPointer { _ = state.record(day: day, userId: $0) }
    }

    func restore(_ chunks: [StateChunk], _ configuration: ActiveUsersConfiguration = ActiveUsersConfiguration()) -> Result<ActiveUsers, StateChunkError> {
        do throws(StateChunkError) {
            return .success(try ActiveUsers(restoring: chunks, configuration: configuration))
        } catch {
            return .failure(error)
        }
    }

    func chunk(_ state: inout ActiveUsers, full: Bool, sequence: UInt64) -> StateChunk {
        let (payload, keys) = state.checkpointPayload(full: full)
        return StateChunk(
            kind: full ? .full : .delta, stateFormat: ActiveUsers.stateFormatVersion, sequence: sequence,
            nextOffset: 0, keyCount: keys, payload: payload)
    }

    /// 1,000 users on day 100, then k of them active on day 101: the delta holds those k
    /// users and the two day rows they touched (day 101, and day 100 for their cohort).
    @Test func aDeltaHoldsOnlyTheTouchedUsers() throws {
        var state = ActiveUsers()
        for u in 0..<1_000 { record(&state, day: 100, user: "user-\(u)") }
        #expect(state.hasUncheckpointedChanges)
        let full = state.checkpointPayload(full: true)
        #expect(full.keys == 1_000 + 35)  // every user, every day from the base (100 - 34)
        #expect(!state.hasUncheckpointedChanges)
        #expect(state.checkpointPayload(full: false).keys == 0)

        let k = 5
        for _ in 0..<4 {
            for u in 0..<k { record(&state, day: 101, user: "user-\(u * 7)") }  // repeats after the first round
        }
        let delta = state.checkpointPayload(full: false)
        #expect(delta.keys == k + 2)
        #expect(delta.payload.count < full.payload.count / 10)

        // Repeats only move the day's event count: no user in the delta.
        record(&state, day: 101, user: "user-0")
        #expect(state.hasUncheckpointedChanges)
        #expect(state.checkpointPayload(full: false).keys == 1)
        // A new user is in the next delta.
        record(&state, day: 101, user: "someone new")
        #expect(state.checkpointPayload(full: false).keys == 1 + 1)
        // A refused event changes only a counter, and still needs a checkpoint.
        record(&state, day: 10, user: "user-1")
        #expect(state.hasUncheckpointedChanges)
        #expect(state.checkpointPayload(full: false).keys == 0)
        #expect(!state.hasUncheckpointedChanges)
    }

    @Test func restoringFullAndDeltasGivesTheSameState() throws {
        var state = ActiveUsers()
        var chunks: [StateChunk] = []
        record(&state, day: 200, user: "a")
        chunks.append(chunk(&state, full: true, sequence: 1))
        record(&state, day: 201, user: "b")
        record(&state, day: 199, user: "b")  // moves b's cohort
        chunks.append(chunk(&state, full: false, sequence: 2))
        chunks.append(chunk(&state, full: false, sequence: 3))  // nothing changed
        record(&state, day: 230, user: "a")
        record(&state, day: 231, user: "c")
        chunks.append(chunk(&state, full: false, sequence: 4))
        var restored = try restore(chunks).get()
        #expect(restored.report() == state.report())
        #expect(restored.distinctUsers == 3 && restored.acceptedEvents == state.acceptedEvents)
        #expect(!restored.hasUncheckpointedChanges)
        #expect(restored.drainChangedDays() == nil)
        // It keeps counting as the original does, new and known users alike.
        record(&state, day: 232, user: "b")
        record(&restored, day: 232, user: "b")
        record(&state, day: 232, user: "d")
        record(&restored, day: 232, user: "d")
        #expect(restored.report() == state.report())
        #expect(restore([]).map(\.distinctUsers) == .success(0))
    }

    @Test func anotherConfigurationIsRefusedNamingBoth() throws {
        var state = ActiveUsers()
        record(&state, day: 300, user: "a")
        let chunks = [chunk(&state, full: true, sequence: 1)]
        let other = try ActiveUsersConfiguration(windows: [1, 7], allowedLatenessDays: 20, maxRetentionAge: 14)
        guard case .failure(let error) = restore(chunks, other) else {
            Issue.record("restored with another configuration")
            return
        }
        #expect(error.code == .configurationMismatch)
        #expect(error.detail.contains("windows [1, 7, 30], allowed lateness 34 days, max retention age 30 days"))
        #expect(error.detail.contains("windows [1, 7], allowed lateness 20 days, max retention age 14 days"))
    }

    @Test func outOfOrderChunksAndUnknownFormatsAreRefused() {
        var state = ActiveUsers()
        record(&state, day: 300, user: "a")
        let full = chunk(&state, full: true, sequence: 1)
        record(&state, day: 301, user: "b")
        let delta = chunk(&state, full: false, sequence: 2)
        #expect(restore([delta]).errorCode == .malformedPayload)
        #expect(restore([full, full]).errorCode == .malformedPayload)
        var future = full
        future.stateFormat = 2
        #expect(restore([future]).errorCode == .unsupportedStateFormat)
        var mislabeled = delta
        mislabeled.kind = .full
        #expect(restore([mislabeled]).errorCode == .malformedPayload)
    }

    /// Every cut of a payload is refused as malformed, and no flipped bit traps: the
    /// reader checks every length and index before using it.
    @Test func damagedPayloadsNeverTrap() {
        let configuration = try! ActiveUsersConfiguration(windows: [1, 3], allowedLatenessDays: 4, maxRetentionAge: 2)
        var state = ActiveUsers(configuration: configuration)
        for (day, user) in [(50, "a"), (51, "bb"), (49, "a"), (52, "ccc")] { record(&state, day: day, user: user) }
        let full = chunk(&state, full: true, sequence: 1)
        record(&state, day: 53, user: "a")
        let delta = chunk(&state, full: false, sequence: 2)
        for (n, base) in [full, delta].enumerated() {
            let prefix = n == 0 ? [] : [full]
            for length in 0..<base.payload.count {
                var cut = base
                cut.payload = Array(base.payload[0..<length])
                #expect(restore(prefix + [cut], configuration).errorCode == .malformedPayload, "chunk \(n) cut to \(length)")
            }
            var longer = base
            longer.payload.append(0)
            #expect(restore(prefix + [longer], configuration).errorCode == .malformedPayload)
            for index in base.payload.indices {
                for bit in 0..<8 {
                    var flipped = base
                    flipped.payload[index] ^= 1 << UInt8(bit)
                    _ = restore(prefix + [flipped], configuration)  // must return, whatever it returns
                }
            }
        }
        #expect(restore([full, delta], configuration).map { $0.report() } == .success(state.report()))
    }
}

extension Result where Failure == StateChunkError {
    var errorCode: StateChunkError.Code? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
