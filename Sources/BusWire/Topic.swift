/// A concrete topic a message is published on, such as `sys.heartbeat.broker`.
///
/// Topics are built only by the factories in the catalogue (`Topic+Catalog.swift`) and never parsed to recover data:
/// identifiers such as Kalshi tickers may contain dots, so each one is also carried in the message's `data`.
public struct Topic: Hashable, Sendable, CustomStringConvertible {
    /// The UTF-8 text of the topic, the first frame on the wire.
    public let rawValue: String

    /// A topic from catalogue parts. Internal: outside BusWire, topics come from the catalogue or ``init(validating:)``.
    init(_ parts: String...) { rawValue = parts.joined(separator: ".") }

    /// A topic typed by a person (for `recio pub`), checked against the topic rules.
    /// - Throws: ``WireError`` when the text is empty, has spaces, wildcards or control characters, or empty segments.
    public init(validating text: String) throws(WireError) {
        try Topic.check(text, allowTrailingDot: false)
        rawValue = text
    }

    public var description: String { rawValue }

    static func check(_ text: String, allowTrailingDot: Bool) throws(WireError) {
        guard !text.isEmpty else { throw .badTopic(text, "is empty") }
        guard text.utf8.count <= 512 else { throw .badTopic(text, "is longer than 512 bytes") }
        for b in text.utf8 where b <= 32 || b == 127 || b == UInt8(ascii: "*") || b == UInt8(ascii: "?") {
            throw .badTopic(text, "contains a space, control character or wildcard")
        }
        let body = allowTrailingDot && text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !body.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
            throw .badTopic(text, "has an empty segment")
        }
    }
}

/// What a subscription selects: every topic (`""`), a subtree (`"market."`), or a topic and its subtree (`"sys.heartbeat.web"`).
///
/// ZeroMQ filters by raw byte prefix, so `market.T1` would also pass `market.T10`. The kit refines every
/// delivery with ``matches(_:)``: a filter ending in `.` matches topics starting with it; any other filter matches
/// the topic itself and topics starting with it followed by a dot. So `…T1.` and `…T1` never see `…T10`.
public struct TopicFilter: Hashable, Sendable, CustomStringConvertible {
    /// The byte prefix handed to ZeroMQ.
    public let rawValue: String

    /// Every topic.
    public static let all = TopicFilter(unchecked: "")

    init(unchecked raw: String) { rawValue = raw }

    /// A filter typed by a person, checked against the topic rules (an empty string means everything).
    public init(validating text: String) throws(WireError) {
        if !text.isEmpty { try Topic.check(text, allowTrailingDot: true) }
        rawValue = text
    }

    /// The subtree under `topic`, plus `topic` itself.
    public init(_ topic: Topic) { rawValue = topic.rawValue }

    public var description: String { rawValue.isEmpty ? "(all)" : rawValue }

    /// Whether a message on `topic` belongs to this filter.
    public func matches(_ topic: String) -> Bool {
        matches(utf8: topic.utf8)
    }

    /// Whether a topic given as UTF-8 bytes belongs to this filter.
    public func matches(utf8 topic: some Collection<UInt8>) -> Bool {
        let p = rawValue.utf8
        guard topic.count >= p.count, topic.starts(with: p) else { return false }
        if p.isEmpty || p.last == UInt8(ascii: ".") || topic.count == p.count { return true }
        return topic[topic.index(topic.startIndex, offsetBy: p.count)] == UInt8(ascii: ".")
    }
}

extension Topic {
    /// Whether `text` can stand as the one word of a topic that names a sender or requester (`order.intent.<source>`,
    /// `trade.reply.<requester>`, an identity): 1–64 ASCII letters, digits, `-` and `_`.
    public static func isWord(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }
}
