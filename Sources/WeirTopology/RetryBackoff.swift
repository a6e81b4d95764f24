/// The wait between attempts of a retried step (a commit, a read of stored offsets or
/// state, an embedding request): it starts at `first` and doubles after every wait, up to
/// `cap`. One value per retry loop; it sleeps the polling thread.
struct RetryBackoff {
    /// The wait the next ``wait()`` sleeps.
    private(set) var delay: Duration
    let cap: Duration

    init(first: Duration = .milliseconds(100), cap: Duration = .seconds(5)) {
        delay = first
        self.cap = cap
    }

    /// Sleeps ``delay``, then doubles it (up to ``cap``).
    mutating func wait() {
        CommitRetry.sleep(delay)
        delay = min(delay * 2, cap)
    }
}
