/// Generates a deterministic stream of Segment-style product events: the same
/// configuration always yields the same bytes.
///
/// Users follow a Zipf-like popularity (rank r is chosen with probability ~ 1/r); event
/// times advance evenly over the configured days with a bounded random disorder; a small
/// fraction of events is emitted twice, byte for byte, as an at-least-once producer would.
public struct EventGenerator: Sendable {
    /// What to generate.
    public struct Configuration: Sendable, Equatable {
        public var users: Int
        public var days: Int
        public var events: Int
        public var seed: UInt64
        /// First day of the stream, in days since 1970-01-01.
        public var startDay: Int
        /// Each event time moves by up to this many seconds either way (within the stream's span).
        public var disorderSeconds: Int
        /// Probability that an event is followed by an exact duplicate of itself.
        public var duplicateProbability: Double

        public init(
            users: Int = 10_000, days: Int = 7, events: Int = 100_000, seed: UInt64 = 42,
            startDay: Int = CivilDate.daysSinceEpoch(year: 2024, month: 1, day: 1),
            disorderSeconds: Int = 300, duplicateProbability: Double = 0.002
        ) {
            self.users = users
            self.days = days
            self.events = events
            self.seed = seed
            self.startDay = startDay
            self.disorderSeconds = disorderSeconds
            self.duplicateProbability = duplicateProbability
        }
    }

    /// One generated event: its Kafka key (the user id) and its JSON payload.
    public struct Event: Sendable, Equatable {
        public var key: [UInt8]
        public var payload: [UInt8]
    }

    public let configuration: Configuration
    private var random: SplitMix64
    private var produced = 0
    private var pendingDuplicate: Event?

    static let eventTypes = ["page_view", "page_view", "page_view", "button_click", "button_click", "search", "session_start", "add_to_cart", "purchase", "user_signup"]
    static let pages = ["/", "/pricing", "/docs", "/signup", "/dashboard", "/settings", "/blog/kappa", "/checkout"]
    static let referrers = ["google", "direct", "twitter", "newsletter", "github", "bing"]
    static let plans = ["free", "free", "free", "pro", "team", "enterprise"]
    static let sources = ["organic", "paid", "referral", "partner"]

    public init(configuration: Configuration) {
        precondition(configuration.users > 0 && configuration.days > 0 && configuration.events >= 0)
        self.configuration = configuration
        self.random = SplitMix64(seed: configuration.seed)
    }

    /// The next event, or `nil` after `events` events (duplicates included).
    public mutating func next() -> Event? {
        guard produced < configuration.events else { return nil }
        produced += 1
        if let duplicate = pendingDuplicate {
            pendingDuplicate = nil
            return duplicate
        }
        let event = makeEvent()
        if random.nextUnit() < configuration.duplicateProbability { pendingDuplicate = event }
        return event
    }

    private mutating func makeEvent() -> Event {
        let c = configuration
        let span = Int64(c.days) * 86_400_000
        let base = Int64(c.startDay) * 86_400_000
        // Position in time by stream index (duplicates take a slot), so the span is filled evenly.
        let position = c.events <= 1 ? 0 : Int64((Double(produced - 1) / Double(c.events)) * Double(span))
        let jitterRange = Int64(c.disorderSeconds) * 1000
        var offset = position
        if jitterRange > 0 {
            offset += Int64(random.next() % UInt64(2 * jitterRange + 1)) - jitterRange
        }
        offset = min(max(offset, 0), span - 1)
        let millis = base + offset

        let rank = zipfLikeRank()
        let userId = "usr_\(max(rank, 1))"
        let type = Self.eventTypes[Int(random.next() % UInt64(Self.eventTypes.count))]
        let page = Self.pages[Int(random.next() % UInt64(Self.pages.count))]
        let referrer = Self.referrers[Int(random.next() % UInt64(Self.referrers.count))]
        let plan = Self.plans[Int(UInt64(max(rank, 1)) % UInt64(Self.plans.count))]
        let source = Self.sources[Int(UInt64(max(rank, 1)) % UInt64(Self.sources.count))]
        let withMillis = random.next() % 3 == 0
        let json = "{\"event\":\"\(type)\",\"properties\":{\"user_id\":\"\(userId)\",\"timestamp\":\"\(Self.rfc3339(millis, withMillis: withMillis))\",\"context\":{\"page_url\":\"\(page)\",\"referrer\":\"\(referrer)\"},\"traits\":{\"plan\":\"\(plan)\",\"source\":\"\(source)\"}}}"
        return Event(key: Array(userId.utf8), payload: Array(json.utf8))
    }

    /// A rank in 1...users drawn log-uniformly (P(r) ~ 1/r): pick a power-of-two band
    /// uniformly, then a rank uniformly inside it.
    private mutating func zipfLikeRank() -> Int {
        let users = configuration.users
        let bands = Int.bitWidth - users.leadingZeroBitCount  // ranks 1...users span this many bands
        while true {
            let band = Int(random.next() % UInt64(bands))
            let low = 1 << band
            let rank = low + Int(random.next() % UInt64(low))
            if rank <= users { return rank }
        }
    }

    /// Formats ms since the epoch as `YYYY-MM-DDTHH:MM:SS[.mmm]Z`.
    public static func rfc3339(_ millis: Int64, withMillis: Bool) -> String {
        let seconds = Int(millis.dividedFloor(by: 1000))
        let ms = Int(millis - Int64(seconds) * 1000)
        let day = seconds.dividedFloor(by: 86_400)
        let secondOfDay = seconds - day * 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var s = "\(CivilDate.isoString(ofDay: day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        if withMillis {
            s += "." + (ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)")
        }
        return s + "Z"
    }
}

extension BinaryInteger {
    /// Division rounding toward negative infinity.
    @inlinable
    public func dividedFloor(by divisor: Self) -> Self {
        let q = self / divisor
        return (self % divisor != 0 && ((self < 0) != (divisor < 0))) ? q - 1 : q
    }
}
