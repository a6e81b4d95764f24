import WeirCore

/// The built-in, offline embedder: deterministic feature hashing of words and word pairs into
/// a fixed dimension, L2-normalized.
///
/// It is **lexical, not semantic**: two texts are close when they share words (after
/// lower-casing), not when they mean the same thing ("car" and "automobile" are unrelated to
/// it). It needs no network and no model, gives the same vector on every machine and in every
/// version with the same `seed`, and is what the embedded default and the tests use. Use the
/// OpenAI-compatible embedder for semantic search.
///
/// Each token (a maximal run of letters and digits, lower-cased) adds ±1 to one coordinate
/// chosen by its XXH64 hash; each pair of adjacent tokens adds ±0.5 the same way. A text with
/// no tokens maps to one fixed unit vector, so every vector is valid under cosine distance.
public struct HashingEmbedder: Embedder {
    /// The vector length.
    public let dimension: Int
    /// The hash seed; vectors from different seeds are not comparable.
    public let seed: UInt64

    /// An embedder of `dimension` coordinates (at least 8).
    public init(dimension: Int = 384, seed: UInt64 = 0x5745_4952) throws(VectorError) {
        guard (8...16_000).contains(dimension) else {
            throw VectorError(.invalidConfiguration, "hashing embedder dimension must be in 8...16000", actual: dimension)
        }
        self.dimension = dimension
        self.seed = seed
    }

    public var summary: String { "hashing(dimension: \(dimension))" }

    public func embed(_ texts: [String]) throws(VectorError) -> [[Float]] {
        texts.map { embed(text: $0) }
    }

    /// The vector of one text.
    ///
    /// - Complexity: O(length of the text + dimension).
    public func embed(text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        var token: [UInt8] = []
        token.reserveCapacity(32)
        var previous: UInt64?
        var tokens = 0
        func flush() {
            guard !token.isEmpty else { return }
            let h = XXHash64.hash(token, seed: seed)
            add(h, weight: 1, to: &vector)
            if let previous { add(XXHash64.hash(previous ^ h, seed: seed &+ 1), weight: 0.5, to: &vector) }
            previous = h
            tokens += 1
            token.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            // ASCII without Unicode property look-ups or a String per character.
            if scalar.isASCII {
                let b = UInt8(scalar.value)
                switch b {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): token.append(b)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): token.append(b | 0x20)
                default: flush()
                }
                continue
            }
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil {
                token.append(contentsOf: p.lowercaseMapping.utf8)
            } else {
                flush()
            }
        }
        flush()
        if tokens == 0 { add(XXHash64.hash([], seed: seed), weight: 1, to: &vector) }
        var norm: Float = 0
        for x in vector { norm += x * x }
        if norm == 0 {
            // Opposite signs cancelled out exactly: use the empty text's vector.
            for i in vector.indices { vector[i] = 0 }
            add(XXHash64.hash([], seed: seed), weight: 1, to: &vector)
            norm = 1
        }
        let scale = 1 / norm.squareRoot()
        for i in vector.indices { vector[i] *= scale }
        return vector
    }

    private func add(_ hash: UInt64, weight: Float, to vector: inout [Float]) {
        let index = Int(hash % UInt64(dimension))
        vector[index] += (hash >> 63) == 0 ? weight : -weight
    }
}
