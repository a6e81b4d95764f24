extension ActiveUsers {
    /// Counts a batch of events — `userIds[i]` on `days[i]` — with the same result as
    /// recording each in turn, refusals included (they are counted in ``lateEvents`` and
    /// ``outOfRangeEvents``; use ``record(day:userId:)`` to get each refusal's reason).
    ///
    /// Acceptance depends only on the days, so it is decided first; the accepted ids are
    /// then interned as a batch and their states read in one loop of independent loads, so
    /// the cache misses of the batch overlap. Repeats are settled from that read.
    ///
    /// - Complexity: O(total length of the user ids), amortized, plus O(windows) per new
    ///   active day.
    public mutating func record(days: UnsafeBufferPointer<Int>, userIds: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) {
        precondition(days.count == userIds.count, "one day per user id")
        let n = days.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { accepted in
            withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: n) { keys in
                var count = 0
                for i in 0..<n {
                    let day = days[i]
                    let refused: Bool
                    if counters == nil {
                        refused = start(day: day) != nil
                    } else if day > latest {
                        refused = advance(to: day) != nil
                    } else if day < latest - configuration.allowedLatenessDays {
                        lateEvents += 1
                        refused = true
                    } else {
                        refused = false
                    }
                    if !refused {
                        accepted[count] = day
                        keys.initializeElement(at: count, to: userIds[i])
                        count += 1
                    }
                }
                guard count > 0 else { return }
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { ids in
                    users.intern(batch: UnsafeBufferPointer(rebasing: keys[0..<count]), ids: ids)
                    withUnsafeTemporaryAllocation(of: Bool.self, capacity: count) { repeats in
                        let known = activity.count
                        activity.withUnsafeBufferPointer { states in
                            for i in 0..<count {
                                let id = Int(ids[i])
                                guard id <= known else {
                                    repeats[i] = false
                                    continue
                                }
                                let user = states[id - 1]
                                let index = Int(user.lastDay) - accepted[i]
                                repeats[i] = index >= 0 && index < 64 && user.bits & (UInt64(1) << UInt64(index)) != 0
                            }
                        }
                        for i in 0..<count {
                            if repeats[i] {
                                // Active that day before the batch began: a repeat for good.
                                acceptedEvents += 1
                                counters!.countEvent(day: accepted[i])
                            } else {
                                _ = recordAccepted(day: accepted[i], id: Int(ids[i]))
                            }
                        }
                    }
                }
                _ = keys.baseAddress.map { $0.deinitialize(count: count) }
            }
        }
    }
}
