import Testing

/// The parent of every suite that talks to real services. Serialized as a whole: the
/// PostgreSQL restart test must not overlap other tests, and the 2-core machine is
/// better served by one broker-and-database test at a time.
@Suite("Integration (real PostgreSQL, real Kafka protocol)", .serialized)
struct Integration {}
