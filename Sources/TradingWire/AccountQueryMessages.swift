public import BusWire

/// What an ``AccountQuery`` asks for.
public enum AccountQueryKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Stored fills, newest first (by time, then fill id).
    case fills
    /// Stored settlements, newest first (by settled time, then ticker).
    case settlements
}

/// `cmd.account.query`: a request for one page of account-sync's stored fills or settlements, newest first (event).
/// The answer goes to `account.reply.<requester>`; nothing but account-sync opens the account database. Ask again
/// with the answer's `next_cursor` for the next page.
public struct AccountQuery: BusMessage, Hashable {
    public static let typeName = "cmd.account.query"
    /// Who asks: the answer's topic segment (letters, digits, `-`, `_`).
    public var requester: String
    /// Echoed in the answer.
    public var requestID: String
    /// Fills or settlements.
    public var kind: AccountQueryKind
    /// The page size: at most this many rows (default 200, at most 1,000). A page may hold fewer, to stay well
    /// under the bus's message size.
    public var limit: Int?
    /// Where the page starts: the `next_cursor` of the previous answer; nil for the first page.
    public var cursor: String?
    /// A query.
    public init(requester: String, requestID: String, kind: AccountQueryKind, limit: Int? = nil, cursor: String? = nil) {
        self.requester = requester; self.requestID = requestID; self.kind = kind; self.limit = limit; self.cursor = cursor
    }
    enum CodingKeys: String, CodingKey { case requester, requestID = "request_id", kind, limit, cursor }
}

/// `account.reply.<requester>`: one page of the rows an ``AccountQuery`` asked for, newest first (event).
public struct AccountQueryResult: BusMessage, Hashable {
    public static let typeName = "account.reply"
    /// The query's id.
    public var requestID: String
    /// The fills of the page (empty for a settlements query).
    public var fills: [VenueFill]
    /// The settlements of the page (empty for a fills query).
    public var settlements: [VenueSettlement]
    /// The cursor of the next page; nil when this page is the last.
    public var nextCursor: String?
    /// Why the query was not answered (a bad cursor, the database unreadable, busy); then the page is empty.
    public var error: String?
    /// An answer.
    public init(requestID: String, fills: [VenueFill] = [], settlements: [VenueSettlement] = [], nextCursor: String? = nil,
                error: String? = nil) {
        self.requestID = requestID; self.fills = fills; self.settlements = settlements; self.nextCursor = nextCursor
        self.error = error
    }
    enum CodingKeys: String, CodingKey { case requestID = "request_id", fills, settlements, nextCursor = "next_cursor", error }
}
