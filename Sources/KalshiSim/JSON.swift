import Money
import SimExchange

/// A JSON value with ordered keys, written by hand so money stays strings and numbers stay exact.
enum JSON: Sendable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    /// A number written verbatim (an exact decimal such as a strike).
    case raw(String)
    case array([JSON])
    case object([(String, JSON)])

    static func dollars(_ d: Dollars, _ decimals: Int = 4) -> JSON { .string(d.formatted(decimals: decimals)) }
    static func count(_ c: Contracts) -> JSON { .string(c.description) }
    static func time(_ ms: Millis) -> JSON { .string(SimCalendar.rfc3339(millis: ms)) }
    static func optional(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }

    var text: String {
        var out = ""
        write(&out)
        return out
    }

    func write(_ out: inout String) {
        switch self {
        case .string(let s): JSON.quote(s, &out)
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .raw(let r): out += r
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.write(&out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out += "," }
                JSON.quote(k, &out)
                out += ":"
                v.write(&out)
            }
            out += "}"
        }
    }

    static func quote(_ s: String, _ out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
