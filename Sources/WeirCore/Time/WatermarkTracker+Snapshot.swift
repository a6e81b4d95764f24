extension WatermarkTracker {
    /// The tracker's whole state as a plain value, for a task checkpoint.
    public struct Snapshot: Sendable {
        /// The task watermark at snapshot time.
        public var watermark: Int64
        /// Every registered partition with its state, in registration order.
        public var partitions: [(partition: Partition, state: PartitionWatermark)]
    }

    /// The tracker's state, to restore with ``init(policy:restoring:)``.
    ///
    /// - Complexity: O(partitions).
    public func snapshot() -> Snapshot {
        Snapshot(watermark: watermark, partitions: order.map { ($0, partitions[$0]!) })
    }

    /// A tracker that continues exactly where the snapshotted one stopped.
    public init(policy: WatermarkPolicy, restoring snapshot: Snapshot) {
        self.policy = policy
        self.watermark = snapshot.watermark
        self.partitions = [:]
        self.order = []
        for (p, state) in snapshot.partitions where partitions[p] == nil {
            partitions[p] = state
            order.append(p)
        }
    }
}
