/// The users of an ``ActiveUsers`` operator whose activity changed since its last
/// checkpoint payload.
///
/// Users interned since then (ids above ``checkpointedUsers``) are all new to the next
/// delta, so they are not marked. An older user is marked the first time its activity
/// changes: a bit test, and on the first change only, a bit set and an append. Repeat
/// events never reach it.
struct ActiveUsersDirtyUsers: Sendable {
    /// Users that existed at the last checkpoint payload (ids `1...checkpointedUsers`).
    private(set) var checkpointedUsers = 0
    /// Bit `id - 1` set: user `id` is in ``ids``.
    private var bits: [UInt64] = []
    /// The marked users, in the order they were first changed.
    private(set) var ids: [UInt32] = []

    /// Marks user `id` as changed.
    @inline(__always)
    mutating func mark(_ id: Int) {
        guard id <= checkpointedUsers else { return }
        let index = id - 1
        let bit = UInt64(1) << UInt64(index & 63)
        if bits[index >> 6] & bit == 0 {
            bits[index >> 6] |= bit
            ids.append(UInt32(truncatingIfNeeded: id))
        }
    }

    /// Forgets every mark; `users` users now exist and are checkpointed.
    mutating func reset(users: Int) {
        for id in ids { bits[Int(id - 1) >> 6] = 0 }
        ids.removeAll(keepingCapacity: true)
        checkpointedUsers = users
        let words = (users + 63) >> 6
        if bits.count < words { bits.append(contentsOf: repeatElement(0, count: words - bits.count)) }
    }
}
