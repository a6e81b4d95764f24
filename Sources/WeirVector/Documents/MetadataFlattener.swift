import WeirCore

/// Reads the top-level members of an already validated JSON object into `[String: String]`
/// for the index's metadata filter: strings unescaped, numbers and booleans as written, null,
/// objects and arrays left out. The caller has validated the JSON (and refused `\u0000`).
enum MetadataFlattener {
    static func topLevelScalars(_ object: UnsafeBufferPointer<UInt8>) -> [String: String] {
        var result: [String: String] = [:]
        var i = 0
        let n = object.count
        var scratch: [UInt8] = []
        func skipSpace() { while i < n, object[i] == 0x20 || object[i] == 0x0A || object[i] == 0x0D || object[i] == 0x09 { i += 1 } }
        /// Reads the string starting at the opening quote `object[i]`; moves past its closing quote.
        func readString() -> String {
            i += 1
            let start = i
            var escaped = false
            while i < n, object[i] != UInt8(ascii: "\"") {
                if object[i] == UInt8(ascii: "\\") { escaped = true; i += 1 }
                i += 1
            }
            let body = UnsafeBufferPointer(rebasing: object[start..<min(i, n)])
            i += 1
            if !escaped { return String(decoding: body, as: UTF8.self) }
            scratch.removeAll(keepingCapacity: true)
            _ = JSONString.unescape(body, into: &scratch)
            return String(decoding: scratch, as: UTF8.self)
        }
        func skipNested() {
            var depth = 0
            while i < n {
                let b = object[i]
                if b == UInt8(ascii: "\"") {
                    _ = readString()
                    continue
                }
                if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { i += 1; return }
                }
                i += 1
            }
        }
        skipSpace()
        guard i < n, object[i] == UInt8(ascii: "{") else { return result }
        i += 1
        while true {
            skipSpace()
            guard i < n, object[i] == UInt8(ascii: "\"") else { return result }
            let key = readString()
            skipSpace()
            i += 1  // ':'
            skipSpace()
            guard i < n else { return result }
            switch object[i] {
            case UInt8(ascii: "\""):
                result[key] = readString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                skipNested()
            default:
                let start = i
                while i < n, object[i] != UInt8(ascii: ","), object[i] != UInt8(ascii: "}"), object[i] > 0x20 { i += 1 }
                let literal = String(decoding: UnsafeBufferPointer(rebasing: object[start..<i]), as: UTF8.self)
                if literal != "null" { result[key] = literal }
            }
            skipSpace()
            guard i < n, object[i] == UInt8(ascii: ",") else { return result }
            i += 1
        }
    }
}
