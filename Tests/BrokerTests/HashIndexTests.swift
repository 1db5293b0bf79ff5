@testable import Broker
import Testing

@Suite("Broker: the per-topic hash index")
struct HashIndexTests {
    @Test("finds every key it holds, through growth and colliding low bits, and nothing else")
    func findsWhatItHolds() {
        var index = HashIndex()
        // Keys sharing their low 16 bits all land in the same bucket: linear probing must still find each.
        let keys = (0..<5_000).map { UInt64($0) << 16 } + (1..<5_000).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        for (slot, key) in keys.enumerated() {
            #expect(index.find(key) == nil)
            index.insert(key, slot)
        }
        #expect(index.count == keys.count)
        var wrong = 0
        for (slot, key) in keys.enumerated() where index.find(key) != slot { wrong += 1 }
        #expect(wrong == 0)
        #expect(index.find(0xDEAD_BEEF_0000_0001) == nil)
    }
}
