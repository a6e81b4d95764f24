/// The text form of vectors: `[0.1, -2, 3e-4]`, as pgvector reads and writes them and as
/// `weir search --vector` and the `embedding` field of documents carry them.
public enum VectorLiteral {
    /// Parses `[x, y, ...]` (white space allowed, at least one element) into floats; nil for
    /// anything else, including NaN, infinities and numbers out of `Float` range.
    ///
    /// - Complexity: O(n) in the text length.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [Float]? {
        var i = 0
        let n = bytes.count
        func skipSpace() { while i < n, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }
        skipSpace()
        guard i < n, bytes[i] == UInt8(ascii: "[") else { return nil }
        i += 1
        var values: [Float] = []
        while true {
            skipSpace()
            let start = i
            while i < n, Self.isNumberByte(bytes[i]) { i += 1 }
            guard i > start, let value = Float(Substring(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)),
                value.isFinite
            else { return nil }
            values.append(value)
            skipSpace()
            guard i < n else { return nil }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "]") else { return nil }
            i += 1
            skipSpace()
            return i == n ? values : nil
        }
    }

    /// Parses a vector literal held in a string.
    public static func parse(_ text: String) -> [Float]? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    /// `[x,y,...]` with each float written in its shortest exact form.
    public static func format(_ vector: [Float]) -> String {
        var text = "["
        text.reserveCapacity(vector.count * 11 + 2)
        for (i, x) in vector.enumerated() {
            if i > 0 { text += "," }
            text += x.description
        }
        return text + "]"
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }
}
