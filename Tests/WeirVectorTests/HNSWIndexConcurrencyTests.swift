import Foundation
import Synchronization
import Testing
import WeirVector

/// Searches on several threads while one thread inserts: no crash, no torn read (every
/// distance matches the stored vector), only ids inserted before the search ended, sorted.
@Suite struct HNSWIndexConcurrencyTests {
    static let seed: UInt64 = 0xC0_C0
    static let preloaded = 1_000
    static let inserted = 2_000
    static let readers = 3

    final class Shared: Sendable {
        let writtenCount = Atomic<Int>(0)
        let writerDone = Atomic<Bool>(false)
        let searches = Atomic<Int>(0)
        let failures = Mutex<[String]>([])

        func fail(_ message: String) { failures.withLock { if $0.count < 20 { $0.append(message) } } }
    }

    @Test func searchesWhileOneWriterInserts() throws {
        let seed = Self.seed
        let total = Self.preloaded + Self.inserted
        let data = VectorSet.clustered(count: total + 100, dimension: 16, clusters: 16, seed: seed)
        let index = try HNSWIndex(
            configuration: HNSWConfiguration(dimension: 16, metric: .l2, m: 8, efConstruction: 48, efSearch: 32, seed: seed))
        for row in 0..<Self.preloaded { try index.insert(id: "\(row)", vector: data.row(row)) }
        let shared = Shared()
        shared.writtenCount.store(Self.preloaded, ordering: .releasing)
        let done = DispatchGroup()

        let writer = Thread {
            for row in Self.preloaded..<total {
                do {
                    try index.insert(id: "\(row)", vector: data.row(row))
                } catch {
                    shared.fail("insert \(row): \(error)")
                }
                shared.writtenCount.store(row + 1, ordering: .releasing)
            }
            shared.writerDone.store(true, ordering: .releasing)
            done.leave()
        }
        var threads = [writer]
        for r in 0..<Self.readers {
            threads.append(Thread {
                var q = r
                repeat {
                    let query = data.row(total + q % 100)
                    q += 1
                    do {
                        let hits = try index.search(query, k: 10)
                        let written = shared.writtenCount.load(ordering: .acquiring)
                        var previous = -Float.infinity
                        for hit in hits {
                            guard let row = Int(hit.id), row >= 0, row <= written, row < total else {
                                shared.fail("reader \(r): id \(hit.id) not inserted yet (written \(written))")
                                continue
                            }
                            if hit.distance < previous { shared.fail("reader \(r): results out of order") }
                            previous = hit.distance
                            let expected = VectorMetric.l2.distance(query, data.row(row))
                            if abs(expected - hit.distance) > 1e-3 * max(1, expected) {
                                shared.fail("reader \(r): torn distance for \(row): \(hit.distance) vs \(expected)")
                            }
                        }
                        if Set(hits.map(\.id)).count != hits.count { shared.fail("reader \(r): duplicate ids") }
                    } catch {
                        shared.fail("reader \(r): \(error)")
                    }
                    shared.searches.add(1, ordering: .relaxed)
                } while !shared.writerDone.load(ordering: .acquiring)
                done.leave()
            })
        }
        for thread in threads {
            done.enter()
            thread.start()
        }
        done.wait()
        let failures = shared.failures.withLock { $0 }
        #expect(failures.isEmpty, "seed \(seed): \(failures.joined(separator: "; "))")
        #expect(index.count == total)
        #expect(shared.searches.load(ordering: .relaxed) >= Self.readers)
        print("concurrent searches during \(Self.inserted) inserts: \(shared.searches.load(ordering: .relaxed)) (seed \(seed))")
        for row in stride(from: 0, to: total, by: 97) {
            #expect(try index.search(data.row(row), k: 1).first?.id == "\(row)", "seed \(seed), row \(row)")
        }
    }
}
