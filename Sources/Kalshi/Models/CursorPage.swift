/// A page of a cursor-paginated list: its items and the cursor of the next page (empty or missing at the end).
public protocol CursorPage: Decodable, Sendable {
    associatedtype Item: Sendable
    /// The items on this page.
    var items: [Item] { get }
    /// The cursor to ask for the next page; `nil` or empty means this was the last page.
    var cursor: String? { get }
}

extension CursorPage {
    /// The next page's cursor, or nil when this page is the last.
    public var nextCursor: String? {
        guard let c = cursor, !c.isEmpty else { return nil }
        return c
    }
}
