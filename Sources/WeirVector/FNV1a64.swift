/// The 64-bit FNV-1a hash, used as the snapshot checksum.
enum FNV1a64 {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The FNV-1a 64 hash of `bytes`.
    ///
    /// - Complexity: O(n).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = offsetBasis
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* prime
        }
        return h
    }
}
