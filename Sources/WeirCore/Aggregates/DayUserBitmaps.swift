/// Which interned users were active on which days: one bitmap over user ids per day, cut
/// into chunks of ``usersPerChunk`` users that are allocated only when one of their users is
/// first seen that day. Each chunk also marks the (day, user) pairs first seen since the
/// last ``drainPending(_:)``, which is what a sink must add.
///
/// A chunk holds two bits per user (seen and pending), 1 KiB. A day on which a fraction `f`
/// of all users is active, spread over all chunks, costs `2/f` bits per active user, against
/// 128 for a hash set of (day, user) pairs at a load of 1/2: less whenever more than 1/64 of
/// the users interned so far are active that day. The bitmaps of the day being counted fit
/// in the cache: 200,000 users make 49 chunks per day. Days are indexed through a table of
/// 4 bytes per day spanned, and only days with events get a row of chunk numbers.
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
    /// `rowOfDay[day - firstDay]`: the day's row in ``directory`` plus one, or 0 while the
    /// day has no chunk.
    private var rowOfDay: [Int32] = []
    private var firstDay = 0
    /// Rows of ``userChunks`` entries: `directory[row * userChunks + user / usersPerChunk]`
    /// is the chunk's number plus one, or 0 while it has no user.
    private var directory: [Int32] = []
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
        words.capacity * 8 + (rowOfDay.capacity + directory.capacity) * 4 + chunkDays.capacity * 9 + pendingChunks.capacity * 4
    }

    /// Whether any pair is pending.
    var hasPending: Bool { !pendingChunks.isEmpty }

    /// Marks `user` active on `day`; `true` when that pair is new (it is then also pending).
    mutating func insert(day: Int, user: UInt32) -> Bool {
        let chunk = chunkNumber(day: day, user: user)
        let new = words.withUnsafeMutableBufferPointer { Self.mark(user, chunk: chunk, in: $0) }
        if new { notePending(chunk) }
        return new
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
                for i in 0..<n { inserted[i] = Self.mark(users[i], chunk: chunks[i], in: w) }
            }
            for i in 0..<n where inserted[i] { notePending(chunks[i]) }
        }
    }

    /// Sets `user`'s seen bit in `chunk`; when it was clear, also its pending bit, and
    /// returns `true`.
    @inline(__always)
    private static func mark(_ user: UInt32, chunk: Int, in w: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let bit = UInt64(1) &<< UInt64(user & 63)
        let index = chunk &* wordsPerChunk &+ Int((user &>> 6) & 63) &* 2
        let seen = w[index]
        let new = bit & ~seen
        w[index] = seen | bit
        w[index &+ 1] |= new
        return new != 0
    }

    /// Lists `chunk` among the chunks with pending pairs, once.
    @inline(__always)
    private mutating func notePending(_ chunk: Int) {
        guard !chunkHasPending[chunk] else { return }
        chunkHasPending[chunk] = true
        pendingChunks.append(Int32(truncatingIfNeeded: chunk))
    }

    /// Calls `body` with every pending (day, user), chunk by chunk in the order they got
    /// their first pending pair and by user within a chunk, and clears them.
    mutating func drainPending(_ body: (Int, UInt32) -> Void) {
        for entry in pendingChunks {
            let chunk = Int(entry)
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
        let index = day &- firstDay
        let column = Int(user) / Self.usersPerChunk
        if index >= 0 && index < rowOfDay.count && column < userChunks {
            let row = rowOfDay.withUnsafeBufferPointer { Int($0[index]) }
            if row != 0 {
                let entry = directory.withUnsafeBufferPointer { $0[(row &- 1) &* userChunks &+ column] }
                if entry != 0 { return Int(entry) &- 1 }
            }
        }
        return addChunk(day: day, column: column)
    }

    @inline(never)
    private mutating func addChunk(day: Int, column: Int) -> Int {
        precondition(Int32(exactly: day) != nil, "day \(day) is out of range")
        if column >= userChunks { widen(toHold: column) }
        let index = dayIndex(day)
        if rowOfDay[index] == 0 {
            precondition(directory.count / max(userChunks, 1) < Int32.max, "too many days")
            directory.append(contentsOf: repeatElement(0, count: userChunks))
            rowOfDay[index] = Int32(directory.count / userChunks)
        }
        let slot = (Int(rowOfDay[index]) - 1) * userChunks + column
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

    /// The index of `day` in ``rowOfDay``, which grows to cover it, with spare days on the
    /// side it grew (half the span, at least 32), so that growing is rare.
    private mutating func dayIndex(_ day: Int) -> Int {
        if rowOfDay.isEmpty {
            firstDay = day
            rowOfDay = [Int32](repeating: 0, count: 32)
        }
        let spare = max(32, rowOfDay.count / 2)
        if day < firstDay {
            let more = firstDay - day + spare
            rowOfDay.insert(contentsOf: repeatElement(0, count: more), at: 0)
            firstDay -= more
        } else if day - firstDay >= rowOfDay.count {
            rowOfDay.append(contentsOf: repeatElement(0, count: day - firstDay - rowOfDay.count + 1 + spare))
        }
        return day - firstDay
    }

    /// Makes every row of the directory wide enough for user chunk `column` (at least
    /// doubling), copying the rows.
    private mutating func widen(toHold column: Int) {
        let columns = max(column + 1, userChunks * 2)
        let rows = userChunks == 0 ? 0 : directory.count / userChunks
        var wide = [Int32](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for c in 0..<userChunks { wide[row * columns + c] = directory[row * userChunks + c] }
        }
        directory = wide
        userChunks = columns
    }
}
