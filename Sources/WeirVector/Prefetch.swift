/// A software prefetch hint: asks the CPU to start loading the cache line holding `address`
/// while the caller does other work. The search loop issues it for the neighbors it is about
/// to measure, so their vectors arrive in parallel instead of one cache miss at a time.
///
/// Swift has no prefetch API, so this binds to LLVM's target-independent `llvm.prefetch`
/// intrinsic by symbol name (it lowers to `prefetcht0` on x86-64, `prfm` on arm64). A
/// toolchain that renamed the intrinsic would fail to compile this file, not misbehave.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

enum Prefetch {
    /// Hints a read of the cache line at `address` into all cache levels.
    @inline(__always)
    static func read(_ address: UnsafeRawPointer) {
        llvmPrefetch(address, 0, 3, 1)
    }
}
