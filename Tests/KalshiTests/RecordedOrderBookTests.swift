import BusTestSupport
import Foundation
import Kalshi
import Money
import Testing

/// Replays the recorded KXBTCD order book of 2025-05-19/20 (`../shared/data`, see its README) through
/// ``OrderBookReplay`` and checks the top of book against the recorder's.
///
/// What the file holds (established by reading it, and asserted below):
/// - 416,635 rows of 22 markets, each market's rows contiguous and in time order: 28 SNAPSHOT rows, the rest DELTA.
/// - A SNAPSHOT row holds only the top of each side: the best YES bid and its count, the best YES ask and the
///   count of the NO bid behind it (NO bid at 1 − ask). An empty price with count 0 is an empty side. Deeper
///   levels are not recorded, yet deltas arrive at them (a strict book would go negative at the first one, e.g.
///   `yes 66 −1000` right after a snapshot of `68×14`), so the book is a ``PartialOrderBook``: exact from the
///   snapshot's top upward, unknown below, an empty side exact everywhere.
/// - The top-of-book columns of a DELTA row are the recorder's best bid/ask **after** applying that delta: compared
///   after each delta there are no mismatches; compared before, tens of thousands (asserted).
/// - `sequence_num` counts one recording's messages; a SNAPSHOT whose `seq` continues a recording re-snapshots it
///   (2 rows), one that does not starts a new recording (26, each at `seq` 1). In one market
///   (`KXBTCD-25MAY2016-T105499.99`) two recordings overlap for half an hour, their rows interleaved in time and
///   both carrying the same exchange deltas under different `seq`s; each keeps its own book. A delta belongs to
///   the recording whose `seq` it continues, the most recently started one when several do (once: both reached
///   10,427 after the older had stopped).
///
/// What can be checked: after every delta, each side whose top the partial book knows (an exact level, or an
/// exactly empty side) against the recorded columns — price and count exact. A side whose exact part has emptied
/// (its best bid now rests below what the snapshot covered) is not comparable until a bid at or above the
/// snapshot's price comes back; those rows are counted as `unknown`, and for them only a bound is checked: the
/// recorded best bid must be absent or lie below the side's exact range (`boundViolations`, asserted 0).
/// Nothing is known about the deeper levels' counts, so they are never compared.
@Suite("Recorded Kalshi order book replay")
struct RecordedOrderBookTests {
    static let repo = String(#filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/"))
    static let file = repo + "/../shared/data/kalshi_kxbtcd_orderbook_2025-05-19_2025-05-20.csv.gz"
    static let present = FileManager.default.fileExists(atPath: file)

    /// The counts the replay reports.
    struct Counts: Equatable, CustomStringConvertible {
        var rows = 0, snapshots = 0, deltas = 0, recordings = 0, reSnapshots = 0
        var applied = 0, orphans = 0, ambiguous = 0, notApplied = 0
        var compared = 0, comparedBid = 0, comparedAsk = 0, comparedEmpty = 0, unknownBid = 0, unknownAsk = 0
        var mismatches = 0, boundViolations = 0, mismatchesBeforeDelta = 0, unknownLevelDeltas = 0

        var description: String {
            "rows \(rows) (snapshots \(snapshots), deltas \(deltas)); recordings \(recordings), re-snapshots \(reSnapshots); "
                + "deltas applied \(applied), orphans \(orphans), ambiguous \(ambiguous), not applied \(notApplied); "
                + "deltas at unknown levels \(unknownLevelDeltas); comparisons \(compared) (bid \(comparedBid), ask \(comparedAsk), "
                + "empty sides \(comparedEmpty)); not comparable: bid \(unknownBid), ask \(unknownAsk) (recorded top outside the unknown range: \(boundViolations)); "
                + "mismatches \(mismatches); "
                + "mismatches if compared before the delta \(mismatchesBeforeDelta)"
        }
    }

    static func recordedBid(_ r: RecordedOrderBookRow) -> PartialOrderBook.Top {
        r.bidCents.map { .level(PriceLevel(price: Dollars(cents: Int64($0)), count: Contracts(whole: Int64(r.bidQty)))) } ?? .empty
    }

    static func recordedAsk(_ r: RecordedOrderBookRow) -> PartialOrderBook.Top {
        r.askCents.map { .level(PriceLevel(price: Dollars(cents: Int64($0)), count: Contracts(whole: Int64(r.askQty)))) } ?? .empty
    }

    /// The snapshot's top levels as book levels: the YES bid, and the NO bid behind the YES ask.
    static func snapshotLevels(_ r: RecordedOrderBookRow) -> (yes: [PriceLevel], no: [PriceLevel]) {
        let yes = r.bidCents.map { [PriceLevel(price: Dollars(cents: Int64($0)), count: Contracts(whole: Int64(r.bidQty)))] }
        let no = r.askCents.map { [PriceLevel(price: Dollars(cents: Int64(100 - $0)), count: Contracts(whole: Int64(r.askQty)))] }
        return (yes ?? [], no ?? [])
    }

    /// Replays the whole file; `samples` collects the first few mismatches.
    static func replay(_ bytes: [UInt8], samples: inout [String]) throws -> Counts {
        var c = Counts()
        var recordings: [String: [OrderBookReplay]] = [:]  // per market, oldest first
        try RecordedOrderBookFile.forEachRow(bytes) { r in
            c.rows += 1
            var streams = recordings.removeValue(forKey: r.ticker) ?? []
            defer { recordings[r.ticker] = streams }
            if r.isSnapshot {
                c.snapshots += 1
                let (yes, no) = snapshotLevels(r)
                if let i = streams.lastIndex(where: { $0.continues(seq: r.seq) }) {
                    c.reSnapshots += 1
                    c.unknownLevelDeltas += unknownDeltas(streams[i].book)
                    streams[i].applySnapshot(seq: r.seq, yes: yes, no: no)
                } else {
                    c.recordings += 1
                    var s = OrderBookReplay()
                    s.applySnapshot(seq: r.seq, yes: yes, no: no)
                    streams.append(s)
                }
                return
            }
            c.deltas += 1
            let candidates = streams.indices.filter { streams[$0].continues(seq: r.seq) }
            guard let i = candidates.last else {
                c.orphans += 1
                return
            }
            if candidates.count > 1 { c.ambiguous += 1 }
            let bid = recordedBid(r), ask = recordedAsk(r)
            if let before = streams[i].book {
                if before.yesBid != .unknown && before.yesBid != bid { c.mismatchesBeforeDelta += 1 }
                if before.yesAsk != .unknown && before.yesAsk != ask { c.mismatchesBeforeDelta += 1 }
            }
            let outcome = streams[i].applyDelta(
                seq: r.seq, side: r.deltaIsYes ? .yes : .no, price: Dollars(cents: Int64(r.deltaCents)),
                delta: Contracts(whole: Int64(r.deltaQty)))
            guard outcome == .applied, let book = streams[i].book else {
                c.notApplied += 1
                return
            }
            c.applied += 1
            for (name, ours, theirs) in [("bid", book.yesBid, bid), ("ask", book.yesAsk, ask)] {
                if ours == .unknown {
                    if name == "bid" { c.unknownBid += 1 } else { c.unknownAsk += 1 }
                    if !belowKnown(book, name == "bid", theirs) {
                        c.boundViolations += 1
                        if samples.count < 5 { samples.append("\(r.ticker) seq \(r.seq) \(name): recorded \(theirs) in the exact range") }
                    }
                    continue
                }
                c.compared += 1
                if name == "bid" { c.comparedBid += 1 } else { c.comparedAsk += 1 }
                if ours == .empty { c.comparedEmpty += 1 }
                if ours != theirs {
                    c.mismatches += 1
                    if samples.count < 5 { samples.append("\(r.ticker) seq \(r.seq) \(name): ours \(ours), recorded \(theirs)") }
                }
            }
        }
        for streams in recordings.values { for s in streams { c.unknownLevelDeltas += unknownDeltas(s.book) } }
        return c
    }

    /// True when a recorded top lies where an unknown top of ours may be: an empty side, or a bid below the
    /// side's exact range (for the ask: a NO bid below it, so a YES ask above 1 − its lower end).
    static func belowKnown(_ book: PartialOrderBook, _ isBid: Bool, _ recorded: PartialOrderBook.Top) -> Bool {
        guard case .level(let l) = recorded else { return recorded == .empty }
        guard let from = isBid ? book.yes.knownFrom : book.no.knownFrom else { return false }
        return isBid ? l.price < from : l.price > Dollars(micros: Dollars.scale) - from
    }

    static func unknownDeltas(_ book: PartialOrderBook?) -> Int {
        book.map { $0.yes.unknownLevelDeltas + $0.no.unknownLevelDeltas } ?? 0
    }

    @Test("the recorded snapshots and deltas rebuild exactly the recorded top of book",
          .enabled(if: present, "recorded order book not found at \(file)"))
    func replayMatchesRecording() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        // Seconds of work: on a thread of its own, never on the 2-thread cooperative pool.
        let (c, samples) = try await offPool { () throws -> (Counts, [String]) in
            var samples: [String] = []
            let c = try Self.replay(try GzipFile.bytes(Self.file), samples: &samples)
            return (c, samples)
        }
        print("recorded order book replay (\(clock.now - start)): \(c)")

        #expect(c.mismatches == 0 && c.boundViolations == 0, "\(samples)")
        #expect(c.rows == 416_635 && c.snapshots == 28 && c.deltas == 416_607)
        #expect(c.recordings == 26 && c.reSnapshots == 2)
        #expect(c.applied == c.deltas && c.orphans == 0 && c.notApplied == 0 && c.ambiguous == 1)
        #expect(c.unknownLevelDeltas == 230_287)
        #expect(c.comparedBid == 149_014 && c.comparedAsk == 283_551 && c.compared == 432_565 && c.comparedEmpty == 0)
        #expect(c.unknownBid == 267_593 && c.unknownAsk == 133_056)
        // The columns are the state after the delta: compared before it they disagree wherever the delta moved the top.
        #expect(c.mismatchesBeforeDelta == 45_811)
    }
}
