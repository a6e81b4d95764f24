/// Which interned users were active on which days: one bitmap over user ids per day, cut
/// into chunks of ``usersPerChunk`` users that are allocated only when one of their users is
/// first seen that day. Each chunk also marks the (day, user) pairs first seen since the
/// last ``drainPending(_:)``, which is what a sink must add.
///
/// Against a hash set of (day, user) pairs, a day on which a fraction `f` of all users is
/// active costs `1/(4f)` bits per active user instead of 128, and the bitmaps of the day
/// being counted fit in the cache: 200,000 users make 49 chunks of 1 KiB per day.
///
/// - Complexity: O(1) per ``insert(day:user:)``, amortized; O(chunks with pending pairs
///   + pairs drained) per drain.
struct DayUserBitmaps: Sendable {
    static let usersPerChunk = 4096
    /// Per chunk: for each run of 64 users, a word of users seen then a word of users
    /// pending, side by side so that one cache line holds both.
    static let wordsPerChunk = 2 * usersPerChunk / 64

    /// Chunk storage, ``wordsPerChunk`` words per chunk.
    private var words: [UInt64] = []
    /// `directory[(day - firstDay) * userChunks + user / usersPerChunk]`: the chunk's
    /// number plus one, or 0 while it has no user.
    private var directory: [Int32] = []
    private var firstDay = 0
    private var dayCount = 0
    private var userChunks = 0
    /// Per chunk: its day, its first user, and whether it holds pending pairs.
    private var chunkDays: [Int32] = []
    private var chunkUsers: [UInt32] = []
    private var chunkHasPending: [Bool] = []
    /// Chunks holding pending pairs, in the order they got their first one.
    private var pendingChunks: [Int32] = []

    init() {}

    /// Bytes held, for memory accounting.
    var approximateBytes: Int {
        words.capacity * 8 + directory.capacity * 4 + chunkDays.capacity * 9 + pendingChunks.capacity * 4
    }

    /// Whether any pair is pending.
    var hasPending: Bool { !pendingChunks.isEmpty }

    /// Marks `user` active on `day`; `true` when that pair is new (it is then also pending).
    mutating func insert(day: Int, user: UInt32) -> Bool {
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: 1) { inserted in
            withUnsafePointer(to: day) { d in
                withUnsafePointer(to: user) { u in
                    insert(days: UnsafeBufferPointer(start: d, count: 1), users: UnsafeBufferPointer(start: u, count: 1), inserted: inserted)
                }
            }
            return inserted[0]
        }
    }

    /// Marks `users[i]` active on `days[i]` for each `i`, in order; `inserted[i]` tells
    /// whether that pair was new, exactly as if each were inserted in turn. Missing chunks
    /// are allocated first, so that the bits are then set through one pinned buffer.
    mutating func insert(days: UnsafeBufferPointer<Int>, users: UnsafeBufferPointer<UInt32>, inserted: UnsafeMutableBufferPointer<Bool>) {
        precondition(days.count == users.count && inserted.count >= days.count, "one day and one flag per user")
        let n = days.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { chunks in
            for i in 0..<n { chunks[i] = chunkNumber(day: days[i], user: users[i]) }
            words.withUnsafeMutableBufferPointer { w in
                for i in 0..<n {
                    let user = users[i]
                    let bit = UInt64(1) &<< UInt64(user & 63)
                    let index = chunks[i] &* Self.wordsPerChunk &+ Int((user &>> 6) & 63) &* 2
                    let seen = w[index]
                    let new = bit & ~seen
                    inserted[i] = new != 0
                    w[index] = seen | bit
                    w[index &+ 1] |= new  // pending only when first seen
                }
            }
            for i in 0..<n where inserted[i] && !chunkHasPending[chunks[i]] {
                chunkHasPending[chunks[i]] = true
                pendingChunks.append(Int32(truncatingIfNeeded: chunks[i]))
            }
        }
    }

    /// Calls `body` with every pending (day, user), chunk by chunk in the order they got
    /// their first pending pair and by user within a chunk, and clears them.
    mutating func drainPending(_ body: (Int, UInt32) -> Void) {
        for chunk in pendingChunks.map({ Int($0) }) {
            let day = Int(chunkDays[chunk])
            let firstUser = chunkUsers[chunk]
            let base = chunk * Self.wordsPerChunk
            for run in 0..<(Self.usersPerChunk / 64) {
                var pending = words[base + 2 * run + 1]
                guard pending != 0 else { continue }
                words[base + 2 * run + 1] = 0
                while pending != 0 {
                    body(day, firstUser + UInt32(run * 64 + pending.trailingZeroBitCount))
                    pending &= pending &- 1
                }
            }
            chunkHasPending[chunk] = false
        }
        pendingChunks.removeAll(keepingCapacity: true)
    }

    /// The chunk that holds (day, user), allocated when missing.
    @inline(__always)
    private mutating func chunkNumber(day: Int, user: UInt32) -> Int {
        let row = day &- firstDay
        let column = Int(user) / Self.usersPerChunk
        if row >= 0 && row < dayCount && column < userChunks {
            let entry = directory.withUnsafeBufferPointer { $0[row &* userChunks &+ column] }
            if entry != 0 { return Int(entry) &- 1 }
        }
        return addChunk(day: day, column: column)
    }

    @inline(never)
    private mutating func addChunk(day: Int, column: Int) -> Int {
        precondition(Int32(exactly: day) != nil, "day \(day) is out of range")
        resize(toHold: day, column: column)
        let slot = (day - firstDay) * userChunks + column
        if directory[slot] == 0 {
            precondition(chunkDays.count < Int32.max, "too many bitmap chunks")
            words.append(contentsOf: repeatElement(0, count: Self.wordsPerChunk))
            chunkDays.append(Int32(day))
            chunkUsers.append(UInt32(column * Self.usersPerChunk))
            chunkHasPending.append(false)
            directory[slot] = Int32(chunkDays.count)
        }
        return Int(directory[slot]) - 1
    }

    /// Grows the directory to cover `day` and user chunk `column`, with room to spare, so
    /// that growing is rare.
    private mutating func resize(toHold day: Int, column: Int) {
        if dayCount == 0 { firstDay = day }
        let newFirst = min(firstDay, day)
        let newLast = max(firstDay + dayCount - 1, day)
        let newColumns = column < userChunks ? userChunks : max(column + 1, userChunks * 2)
        guard newFirst != firstDay || newLast != firstDay + dayCount - 1 || newColumns != userChunks || dayCount == 0 else {
            return
        }
        // Days beyond the known span get spare rows on the side they grew.
        let spareBefore = newFirst < firstDay ? 32 : 0
        let spareAfter = newLast > firstDay + dayCount - 1 ? 32 : 0
        let first = newFirst - spareBefore
        let days = newLast + spareAfter - first + 1
        var grown = [Int32](repeating: 0, count: days * newColumns)
        for row in 0..<dayCount {
            let to = (firstDay + row - first) * newColumns
            for c in 0..<userChunks { grown[to + c] = directory[row * userChunks + c] }
        }
        directory = grown
        firstDay = first
        dayCount = days
        userChunks = newColumns
    }
}
