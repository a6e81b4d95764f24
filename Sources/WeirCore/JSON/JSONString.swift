/// Helpers for JSON string contents found by ``JSONFieldExtractor``.
public enum JSONString {
    /// The value of an ASCII hex digit, or `nil`.
    @inlinable
    public static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Decodes the escapes of a string body (without quotes) into UTF-8 bytes appended to `out`.
    /// The body must already have passed ``JSONFieldExtractor`` validation.
    /// Returns `false` for an unpaired surrogate, which has no UTF-8 form.
    public static func unescape(_ body: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        var i = 0
        let n = body.count
        while i < n {
            let b = body[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            let e = body[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = readHex4(body, i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 6 <= n, body[i] == UInt8(ascii: "\\"), body[i + 1] == UInt8(ascii: "u") else { return false }
                    let low = readHex4(body, i + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { return false }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    return false
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)  // " \ /
            }
        }
        return true
    }

    private static func readHex4(_ body: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 4 | (hexValue(body[at + k]) ?? 0) }
        return v
    }

    private static func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
        switch s {
        case 0..<0x80:
            out.append(UInt8(s))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (s >> 6)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (s >> 12)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (s >> 18)))
            out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }
}
