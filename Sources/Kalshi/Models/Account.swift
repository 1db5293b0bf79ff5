import Foundation

/// `GET /account/limits`: the account's API tier and its token buckets.
public struct AccountLimits: Codable, Sendable, Hashable {
    /// One token bucket.
    public struct BucketLimit: Codable, Sendable, Hashable {
        /// Tokens added per second.
        public var refillRate: Int64
        /// Tokens the bucket holds at most.
        public var bucketCapacity: Int64
    }
    /// Kalshi's `usage_tier`: `basic`, `advanced`, `premier`, ….
    public var usageTier: String?
    /// The read bucket.
    public var read: BucketLimit
    /// The write bucket.
    public var write: BucketLimit
}

/// `GET /exchange/schedule`'s `schedule`: its maintenance windows (the weekly hours are not decoded).
public struct ExchangeSchedule: Codable, Sendable, Hashable {
    /// A planned pause of the exchange.
    public struct MaintenanceWindow: Codable, Sendable, Hashable {
        /// Kalshi's `start_datetime`.
        public var startDatetime: Date
        /// Kalshi's `end_datetime`.
        public var endDatetime: Date
    }
    /// Kalshi's `maintenance_windows`.
    public var maintenanceWindows: [MaintenanceWindow]?
}

struct ExchangeScheduleResponse: Codable { var schedule: ExchangeSchedule }

/// The exchange's clock as its HTTP `Date` header shows it, against this machine's.
public struct ExchangeClock: Sendable, Hashable {
    /// The server's `Date` (whole seconds), in epoch milliseconds.
    public var serverMs: Int64
    /// This machine's clock halfway through the request, in epoch milliseconds.
    public var localMs: Int64
    /// How far this machine is ahead of the exchange (negative: behind), to within a second: `Date` has no fraction.
    public var skewMs: Int64 { localMs - serverMs }
}
