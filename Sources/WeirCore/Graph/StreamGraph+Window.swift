extension StreamGraph {
    /// A window's description for the graph: its kind, sizes, lateness and trigger. The
    /// window operator reads its own configuration; this one is for printing and checks.
    public struct WindowDescription: Sendable, Hashable {
        /// The window kinds.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// Fixed-size, non-overlapping.
            case tumbling
            /// Fixed-size, overlapping by `size - slide`.
            case hopping
            /// Per key, closed after a gap of inactivity; merging.
            case session
            /// Growing from the start of a period in steps (e.g. a day emitting every hour).
            case cumulative
        }

        /// The kind.
        public var kind: Kind
        /// Size in ms (tumbling, hopping, cumulative).
        public var size: Int64?
        /// Slide in ms (hopping) or step in ms (cumulative).
        public var slide: Int64?
        /// Inactivity gap in ms (session).
        public var gap: Int64?
        /// Allowed lateness after the watermark, ms.
        public var allowedLateness: Int64
        /// When results are emitted, e.g. `final_on_watermark` or `early_every_60000ms`.
        public var trigger: String

        /// A tumbling window of `size` ms.
        public static func tumbling(size: Int64, allowedLateness: Int64 = 0, trigger: String = "final_on_watermark") -> Self {
            Self(kind: .tumbling, size: size, allowedLateness: allowedLateness, trigger: trigger)
        }

        /// A hopping window of `size` ms every `slide` ms.
        public static func hopping(size: Int64, slide: Int64, allowedLateness: Int64 = 0, trigger: String = "final_on_watermark") -> Self {
            Self(kind: .hopping, size: size, slide: slide, allowedLateness: allowedLateness, trigger: trigger)
        }

        /// A session window closing after `gap` ms without records.
        public static func session(gap: Int64, allowedLateness: Int64 = 0, trigger: String = "final_on_watermark") -> Self {
            Self(kind: .session, gap: gap, allowedLateness: allowedLateness, trigger: trigger)
        }

        /// A cumulative window of `size` ms emitting every `step` ms.
        public static func cumulative(size: Int64, step: Int64, allowedLateness: Int64 = 0, trigger: String = "final_on_watermark") -> Self {
            Self(kind: .cumulative, size: size, slide: step, allowedLateness: allowedLateness, trigger: trigger)
        }

        /// The node parameters it lowers to, durations in readable form (`1d`, `90s`).
        public var parameters: [Parameter] {
            var result = [Parameter("kind", kind.rawValue)]
            if let size { result.append(Parameter("size", Self.duration(size))) }
            if let slide { result.append(Parameter(kind == .cumulative ? "step" : "slide", Self.duration(slide))) }
            if let gap { result.append(Parameter("gap", Self.duration(gap))) }
            result.append(Parameter("allowed_lateness", Self.duration(allowedLateness)))
            result.append(Parameter("trigger", trigger))
            return result
        }

        /// `86400000` -> `1d`, `90000` -> `90s`, `1500` -> `1500ms`: the largest unit that
        /// divides the value exactly.
        public static func duration(_ milliseconds: Int64) -> String {
            for (unit, ms) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)]
            where milliseconds != 0 && milliseconds % ms == 0 {
                return "\(milliseconds / ms)\(unit)"
            }
            return "\(milliseconds)ms"
        }
    }

    /// One result of a windowed aggregate: the value for a key in a window, an upsert
    /// keyed by `(windowStart, windowEnd, key)`: cumulative windows share a start, and a
    /// growing session keeps its start, so the start alone does not name a window.
    public struct Windowed<Key: Hashable & Sendable, Value> {
        /// The group key.
        public var key: Key
        /// The window's start, ms (inclusive).
        public var windowStart: Int64
        /// The window's end, ms (exclusive).
        public var windowEnd: Int64
        /// The aggregate.
        public var value: Value

        /// A result.
        public init(key: Key, windowStart: Int64, windowEnd: Int64, value: Value) {
            self.key = key
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.value = value
        }
    }
}

extension StreamGraph.Windowed: Sendable where Value: Sendable {}
extension StreamGraph.Windowed: Equatable where Value: Equatable {}
