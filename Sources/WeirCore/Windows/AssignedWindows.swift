/// The windows that contain one event time, latest end first, produced without
/// allocating: each kind steps its start and end back by a fixed amount while the window
/// still contains the time.
public struct AssignedWindows: Sequence, IteratorProtocol, Sendable {
    @usableFromInline var start: Int64
    @usableFromInline var end: Int64
    @usableFromInline let startStep: Int64
    @usableFromInline let endStep: Int64
    @usableFromInline let eventTime: Int64

    /// The windows of `assigner` containing `eventTime`.
    @inlinable
    public init(_ assigner: WindowAssigner, containing eventTime: Int64) {
        self.eventTime = eventTime
        switch assigner {
        case .tumbling(let size):
            start = eventTime.flooredToMultiple(of: size)
            end = start.saturatingAdd(size)
            startStep = size
            endStep = size
        case .hopping(let size, let slide):
            start = eventTime.flooredToMultiple(of: slide)
            end = start.saturatingAdd(size)
            startStep = slide
            endStep = slide
        case .session(let gap):
            start = eventTime
            end = eventTime.saturatingAdd(gap)
            startStep = gap
            endStep = gap
        case .cumulative(let size, let step):
            start = eventTime.flooredToMultiple(of: size)
            end = start.saturatingAdd(size)
            startStep = 0
            endStep = step
        }
    }

    /// The next window, or `nil` after the one with the earliest end.
    @inlinable
    public mutating func next() -> Window? {
        guard end > eventTime else { return nil }
        let window = Window(start: start, end: end)
        start = start.saturatingAdd(-startStep)
        end = end.saturatingAdd(-endStep)
        return window
    }
}
