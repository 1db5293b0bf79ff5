import Foundation
import Money

/// One pre-flight check: what was checked, how it went, and what to do about it.
public struct DoctorCheck: Codable, Sendable, Hashable {
    /// How a check went.
    public enum Status: String, Codable, Sendable, Hashable, Comparable {
        case pass, warn, fail
        private var rank: Int { switch self { case .pass: 0; case .warn: 1; case .fail: 2 } }
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
    }
    /// A short name: `credentials`, `clock`, `exchange`, ….
    public var name: String
    /// How it went.
    public var status: Status
    /// What was found.
    public var detail: String
    /// What to do (empty when nothing).
    public var fix: String

    /// A check.
    public init(_ name: String, _ status: Status, _ detail: String, fix: String = "") {
        self.name = name; self.status = status; self.detail = detail; self.fix = fix
    }
}

/// The venue half of `recio doctor`: every check that asks Kalshi (or `recio sim`) something, each answered for
/// real. A check that cannot be made fails with the error rather than throwing, so every check runs.
public struct VenueDoctor: Sendable {
    let rest: KalshiRESTClient
    let series: String
    let isRecio: @Sendable (String?) -> Bool

    /// A doctor for trading `series` with `rest`.
    public init(rest: KalshiRESTClient, series: String, isRecio: @escaping @Sendable (String?) -> Bool = RecioOrderIDs.isRecio) {
        self.rest = rest; self.series = series; self.isRecio = isRecio
    }

    /// Every venue check, in order: endpoint, clock, exchange, credentials and balance, tier, orders and positions.
    public func run() async -> [DoctorCheck] {
        var out: [DoctorCheck] = []
        let status: ExchangeStatus
        do { status = try await rest.exchangeStatus() } catch {
            return [DoctorCheck("endpoint", .fail, "\(rest.configuration.baseURL) did not answer: \(error)",
                                fix: "check the network, the mode's REST root (--rest-url), or start `recio sim` for mode sim")]
        }
        out.append(DoctorCheck("endpoint", .pass, "\(rest.configuration.baseURL) answers"))
        out.append(await clock())
        let shard = try? await rest.series(series).exchangeIndex
        out.append(contentsOf: await exchange(status, shard: shard))
        out.append(await balance(shard: shard))
        out.append(await tier())
        out.append(contentsOf: await book())
        return out
    }

    func clock() async -> DoctorCheck {
        do {
            let c = try await rest.exchangeClock()
            let detail = "this machine is \(c.skewMs >= 0 ? "ahead of" : "behind") the exchange by about \(abs(c.skewMs)) ms (Date has 1 s resolution)"
            if abs(c.skewMs) <= 2_000 { return DoctorCheck("clock", .pass, detail) }
            return DoctorCheck("clock", abs(c.skewMs) <= 10_000 ? .warn : .fail, detail,
                               fix: "sync the clock (timedatectl set-ntp true, or chrony): signed requests carry a timestamp Kalshi checks")
        } catch {
            return DoctorCheck("clock", .warn, "no Date header to compare with: \(error)", fix: "check the clock against an NTP server by hand")
        }
    }

    func exchange(_ status: ExchangeStatus, shard: Int?) async -> [DoctorCheck] {
        var out: [DoctorCheck] = []
        let shardStatus = shard.flatMap { s in status.exchangeIndexStatuses?.first { $0.exchangeIndex == s } }
        let trading = status.exchangeActive && status.tradingActive && (shardStatus?.tradingActive ?? true)
        let where_ = shard.map { "; \(series) trades on shard \($0)" } ?? "; \(series)'s shard unknown"
        out.append(trading ? DoctorCheck("exchange", .pass, "exchange and trading active\(where_)")
            : DoctorCheck("exchange", .fail, "exchange_active \(status.exchangeActive), trading_active \(status.tradingActive)\(where_)"
                          + (status.exchangeEstimatedResumeTime.map { ", resumes about \($0)" } ?? ""),
                          fix: "wait for Kalshi to resume trading (see the exchange status page); auto-entry stays idle meanwhile"))
        do {
            let windows = try await rest.exchangeSchedule().maintenanceWindows ?? []
            let now = Date(timeIntervalSince1970: Double(rest.epochMilliseconds()) / 1000)
            let soon = windows.filter { $0.endDatetime > now && $0.startDatetime < now.addingTimeInterval(86_400) }
            out.append(soon.isEmpty ? DoctorCheck("trading hours", .pass, "no maintenance window in the next 24 h")
                : DoctorCheck("trading hours", .warn, "maintenance: " + soon.map { "\($0.startDatetime) to \($0.endDatetime)" }.joined(separator: ", "),
                              fix: "expect no fills then; flatten or leave positions to settle before it starts"))
        } catch {
            out.append(DoctorCheck("trading hours", .warn, "schedule unreadable: \(error)", fix: "check Kalshi's exchange schedule by hand"))
        }
        return out
    }

    func balance(shard: Int?) async -> DoctorCheck {
        let b: Balance
        do { b = try await rest.balance() } catch {
            return DoctorCheck("credentials", .fail, "a signed balance read failed: \(error)",
                               fix: "check the key id and PEM (`recio credentials add`), that the key belongs to this mode (demo keys do not work on prod)")
        }
        guard let shard else { return DoctorCheck("credentials", .pass, "signed balance read: $\(b.available.formatted(decimals: 2)) over all shards") }
        let here = b.available(onShard: shard) ?? b.available
        let elsewhere = b.available - here
        let detail = "signed balance read: $\(here.formatted(decimals: 2)) on shard \(shard) ($\(b.available.formatted(decimals: 2)) over all shards)"
        if here > .zero { return DoctorCheck("credentials", .pass, detail) }
        return DoctorCheck("credentials", elsewhere > .zero ? .fail : .warn, detail + ": nothing to trade with on the trading shard",
                           fix: elsewhere > .zero
                               ? "move cash to shard \(shard): Kalshi's intra-exchange transfer (POST /portfolio/intra_exchange_instance_transfer, or the website)"
                               : "deposit funds on Kalshi, then move them to shard \(shard)")
    }

    func tier() async -> DoctorCheck {
        do {
            let l = try await rest.accountLimits()
            let batch = l.write.bucketCapacity / RateLimiter.Cost.cancel
            return DoctorCheck("rate limits", .pass,
                               "tier \(l.usageTier ?? "?"): read \(l.read.refillRate)/s (holds \(l.read.bucketCapacity)), write \(l.write.refillRate)/s (holds \(l.write.bucketCapacity)); a full write bucket pays for \(batch) cancels")
        } catch {
            return DoctorCheck("rate limits", .warn, "/account/limits unreadable: \(error)", fix: "the connector assumes the Basic tier")
        }
    }

    func book() async -> [DoctorCheck] {
        var out: [DoctorCheck] = []
        do {
            let resting = try await rest.orders(status: .resting)
            let mine = resting.filter { isRecio($0.clientOrderId) }.count, others = resting.count - mine
            let detail = "\(resting.count) resting: \(mine) rec.io's, \(others) placed otherwise"
            out.append(others == 0 ? DoctorCheck("orders", .pass, detail)
                : DoctorCheck("orders", .warn, detail, fix: "`recio flatten` without --only-recio would cancel them too; cancel or keep them knowingly"))
        } catch {
            out.append(DoctorCheck("orders", .fail, "open orders unreadable: \(error)"))
        }
        do {
            let open = try await rest.positions().market.filter { ($0.positionFp ?? .zero) != .zero }
            out.append(DoctorCheck("positions", open.isEmpty ? .pass : .warn,
                                   open.isEmpty ? "no open position" : open.map { "\($0.ticker) \($0.positionFp ?? .zero)" }.joined(separator: ", "),
                                   fix: open.isEmpty ? "" : "check `recio verify` says the trades database holds them, or close them (`recio flatten`)"))
        } catch {
            out.append(DoctorCheck("positions", .fail, "positions unreadable: \(error)"))
        }
        return out
    }
}
