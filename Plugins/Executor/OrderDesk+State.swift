import BusKit
import BusWire
import CivilTime
import Kalshi
import Logging
import Money
import TradingWire

extension OrderDesk {
    /// Resolves every order sent without a final answer by looking it up by `client_order_id`, never by sending it
    /// again. Found: answered from the venue's order. Not found once ``notFoundGrace`` has passed since it was
    /// sent: it never reached the market, answered `cancelled`. A failed look-up is tried again next time.
    func resolve() async {
        let entries: [JournalEntry]
        do { entries = try await journal.unresolved() } catch {
            logger.warning("cannot read the journal to resolve orders", metadata: ["error": "\(error)"])
            return
        }
        for entry in entries where !working.contains(entry.key) {
            working.insert(entry.key)
            defer { working.remove(entry.key) }
            // Answered meanwhile (the list was read before this key was claimed)?
            guard let current = try? await journal.entry(entry.key), current.state == .sent || current.state == .unknown else { continue }
            let intent = entry.intent, cid = entry.clientOrderID
            guard case .kalshi(let rest) = venue else {
                await finish(intent, VenueOrders.event(intent, clientOrderID: cid, outcome: .cancelled, orderID: nil,
                                                       reason: "paper order lost in a restart before it was answered", mode: mode, now: clock.now),
                             reserved: true)
                continue
            }
            do {
                if let order = try await rest.order(clientOrderID: cid, ticker: intent.ticker) {
                    guard let answer = VenueOrders.event(intent, clientOrderID: cid, order: order, mode: mode, now: clock.now) else { continue }
                    logger.info("order resolved by client_order_id", metadata: ["key": "\(entry.key)", "order.id": "\(order.orderId)"])
                    await finish(intent, answer, reserved: true)
                } else if entry.updated.seconds(until: clock.now) >= Self.notFoundGrace {
                    await finish(intent, VenueOrders.event(intent, clientOrderID: cid, outcome: .cancelled, orderID: nil,
                                                           reason: "no order at the venue with client_order_id \(cid): it never reached the market",
                                                           mode: mode, now: clock.now), reserved: true)
                }
            } catch {
                logger.info("cannot resolve an order yet", metadata: ["key": "\(entry.key)", "error": "\(error)"])
            }
        }
    }

    /// Orders sent without a final answer.
    func unresolvedCount() async -> Int { (try? await journal.unresolved().count) ?? 0 }

    /// A trading command; publishes the new state when it changed (and an alert on a change to HALTED), and keeps
    /// the command holds in the journal so a restart keeps a user's halt.
    func apply(_ command: TradingCommand) async {
        let before = holds
        guard TradingHolds.mayCommand(command.holder) else {
            refusedCommands += 1
            if refusedCommands == 1 || refusedCommands % 100 == 0 {
                logger.warning("trading command refused: a command names its own holder, never * or the executor's own holds",
                               metadata: ["holder": "\(command.holder)", "action": "\(command.action.rawValue)", "refused": "\(refusedCommands)"])
            }
            return
        }
        guard holds.apply(command, now: clock.now) else { return }
        logger.notice("trading command", metadata: ["action": "\(command.action.rawValue)", "holder": "\(command.holder)", "reason": "\(command.reason)"])
        do { try await journal.saveHolds(holds.commandHolds) } catch {
            logger.error("cannot keep the trading holds in the journal", metadata: ["error": "\(error)"])
        }
        changed(from: before)
    }

    /// A reconciliation report: passed releases the reconciliation hold, failed takes it again.
    func apply(_ report: ReconciliationReport) {
        let before = holds
        guard holds.apply(report, now: clock.now) else { return }
        logger.notice("reconciliation moved the trading state", metadata: ["status": "\(report.status.rawValue)"])
        changed(from: before)
    }

    /// The venue's positions from account-sync: the book takes them where it has not changed since.
    func apply(_ positions: AccountPositions) {
        let time = BusTime(rfc3339: Array(positions.time.utf8)) ?? clock.now
        gate.apply(positions, at: min(time, clock.now))
    }

    /// The trade manager's open trades: how closes of trades the executor did not enter are checked.
    func apply(_ open: OpenTrades) { gate.apply(open) }

    /// A settlement's payout counts towards the day's loss limit.
    func apply(_ settlement: VenueSettlement) {
        gate.record(settlement: settlement)
        checkDailyLoss()
    }

    /// Places the daily-loss hold when the day's worst case reaches `max_daily_loss`; it stays for the rest of that
    /// US Eastern day and is lifted on the next.
    func checkDailyLoss() {
        let now = clock.now, before = holds, today = EasternTime.local(now.unixSeconds).dateText
        if gate.dailyLossReached(now: now) {
            riskDay = today
            holds.setRisk("today's worst case reached max_daily_loss $\(gate.limits.maxDailyLoss.formatted(decimals: 2)); entries resume on the next US Eastern day",
                          now: now)
        } else if let day = riskDay, day != today {
            riskDay = nil
            holds.setRisk(nil, now: now)
        }
        if holds != before { changed(from: before) }
    }

    private func changed(from before: TradingHolds) {
        publishStatus()
        let halted = holds.mode == .halted && (before.mode != .halted || (holds.hard && !before.hard))
        if halted {
            publish(.alert(source: "executor"), Alert(
                source: "executor", severity: .critical,
                message: "trading HALTED\(holds.hard ? " hard (closes stopped too)" : " (closes still allowed)"): \(holds.holderSummary)",
                plugin: "executor"))
        }
    }

    /// Publishes the trading state on `sys.control.state.trading`.
    func publishStatus() { publish(.tradingState, holds.status(venueMode: mode, now: clock.now)) }

    /// Counts a message that did not decode.
    func sawMalformed(_ topic: String, _ error: any Error) {
        malformed += 1
        logger.warning("malformed message ignored", metadata: ["topic": "\(topic)", "error": "\(error)", "malformed": "\(malformed)"])
    }

    /// The trading state now.
    var trading: TradingHolds { holds }
    /// Rejections by rule.
    var rejections: [RiskGate.Rule: Int] { gate.rejections }
}
