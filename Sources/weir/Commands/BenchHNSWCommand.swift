import ArgumentParser
import Foundation
import WeirVector

extension BenchCommand {
    /// `weir bench hnsw --base F --queries F --truth F`: builds an HNSW index from TEXMEX
    /// `.fvecs` files, then sweeps `ef` and prints build rate, recall@k, QPS and peak RSS as
    /// one JSON object (single thread; run from a release build).
    struct HNSW: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hnsw",
            abstract: "Build an HNSW index from .fvecs files, sweep ef, print recall/QPS as JSON.")

        @Option(help: "Base vectors (.fvecs: int32 dimension, then that many float32, per vector).")
        var base: String

        @Option(help: "Query vectors (.fvecs).")
        var queries: String

        @Option(help: "Ground truth (.ivecs: the base row numbers of each query's nearest neighbors).")
        var truth: String

        @Option(help: "Distance: cosine, l2 or inner_product.")
        var metric: VectorMetric = .cosine

        @Option(name: .customLong("m"), help: "Links per node (level 0 keeps 2m).")
        var m: Int = 16

        @Option(name: .customLong("ef-construction"), help: "Beam width while building.")
        var efConstruction: Int = 200

        @Option(name: .customLong("ef"), help: "Comma-separated search beam widths to sweep.")
        var ef: String = "10,20,40,80,160,320"

        @Option(name: .customShort("k"), help: "Neighbors per query (recall@k).")
        var k: Int = 10

        @Option(help: "Seconds to keep repeating the query set per ef, for a steadier QPS.")
        var minSeconds: Double = 1.0

        @Option(help: "Seed of the level generator.")
        var seed: UInt64 = 0x5745_4952

        func validate() throws {
            guard efValues != nil else { throw ValidationError("--ef: expected comma-separated positive integers") }
            guard k >= 1 else { throw ValidationError("-k must be at least 1") }
        }

        private var efValues: [Int]? {
            let values = ef.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
            return values.compactMap { $0 }
        }

        func run() throws {
            let baseSet = try TexmexFile.read(path: base, as: Float.self)
            let querySet = try TexmexFile.read(path: queries, as: Float.self)
            let truthSet = try TexmexFile.read(path: truth, as: Int32.self)
            guard querySet.dimension == baseSet.dimension else {
                throw ValidationError("queries have dimension \(querySet.dimension), base has \(baseSet.dimension)")
            }
            guard truthSet.count >= querySet.count, truthSet.dimension >= k else {
                throw ValidationError("truth has \(truthSet.count) rows of \(truthSet.dimension); need \(querySet.count) of \(k)")
            }
            let dimension = baseSet.dimension
            let index = try HNSWIndex(
                configuration: HNSWConfiguration(
                    dimension: dimension, metric: metric, m: m, efConstruction: efConstruction, seed: seed))
            index.reserveCapacity(baseSet.count)
            let ids = (0..<baseSet.count).map { String($0) }

            let buildStart = ContinuousClock.now
            for i in 0..<baseSet.count {
                try index.insert(id: ids[i], vector: baseSet.row(i))
            }
            let buildSeconds = Self.seconds(since: buildStart)

            let queryRows = (0..<querySet.count).map { querySet.row($0) }
            var sweep: [String] = []
            for width in efValues ?? [] {
                var answers: [[SearchResult]] = []
                var passes = 0
                let start = ContinuousClock.now
                var elapsed = 0.0
                repeat {
                    answers = try queryRows.map { try index.search($0, k: k, ef: width) }
                    passes += 1
                    elapsed = Self.seconds(since: start)
                } while elapsed < minSeconds
                var hits = 0
                for (q, answer) in answers.enumerated() {
                    let expected = Set(truthSet.rowSlice(q).prefix(k).map { Int($0) })
                    hits += answer.filter { expected.contains(Int($0.id) ?? -1) }.count
                }
                let recall = Double(hits) / Double(querySet.count * k)
                let qps = Double(passes * querySet.count) / elapsed
                sweep.append(
                    "{\"ef\":\(width),\"recall_at_\(k)\":\(String(format: "%.4f", recall)),\"qps\":\(Int(qps.rounded()))}")
            }

            // Peak RSS of building and searching, before the snapshot round trip below holds a
            // second copy of the index in memory.
            let peakRSS = ResourceUsage.peakRSSBytes
            let snapshotStart = ContinuousClock.now
            let image = index.snapshot()
            let snapshotSeconds = Self.seconds(since: snapshotStart)
            let loadStart = ContinuousClock.now
            let loaded = try HNSWIndex(snapshot: image)
            let loadSeconds = Self.seconds(since: loadStart)
            let sameAnswers = try queryRows.prefix(100).allSatisfy { try loaded.search($0, k: k) == index.search($0, k: k) }

            Console.out("""
                {"benchmark":"hnsw","base":"\(base)","vectors":\(baseSet.count),"dimension":\(dimension),\
                "queries":\(querySet.count),"metric":"\(metric.rawValue)","m":\(m),"ef_construction":\(efConstruction),\
                "k":\(k),"threads":1,"build_seconds":\(String(format: "%.3f", buildSeconds)),\
                "build_vectors_per_second":\(Int((Double(baseSet.count) / max(buildSeconds, 1e-9)).rounded())),\
                "snapshot_bytes":\(image.count),"snapshot_seconds":\(String(format: "%.3f", snapshotSeconds)),\
                "load_seconds":\(String(format: "%.3f", loadSeconds)),"loaded_answers_identical":\(sameAnswers),\
                "peak_rss_bytes":\(peakRSS),"peak_rss_bytes_with_snapshot":\(ResourceUsage.peakRSSBytes),\
                "sweep":[\(sweep.joined(separator: ","))]}
                """)
        }

        private static func seconds(since start: ContinuousClock.Instant) -> Double {
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }
}

extension VectorMetric: ExpressibleByArgument {}

/// Vectors from a TEXMEX `.fvecs` / `.ivecs` file: each row is an int32 little-endian
/// dimension d followed by d 4-byte values; every row must have the same d.
struct TexmexFile<Element: BitwiseCopyable> {
    let dimension: Int
    let count: Int
    let values: [Element]

    /// Row `i` as a new array.
    func row(_ i: Int) -> [Element] { Array(values[(i * dimension)..<((i + 1) * dimension)]) }

    /// Row `i` without copying.
    func rowSlice(_ i: Int) -> ArraySlice<Element> { values[(i * dimension)..<((i + 1) * dimension)] }

    static func read(path: String, as: Element.Type) throws -> TexmexFile {
        precondition(MemoryLayout<Element>.size == 4)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> TexmexFile in
            guard raw.count >= 4 else { throw ValidationError("\(path): empty file") }
            let d = Int(Int32(littleEndian: raw.loadUnaligned(as: Int32.self)))
            let rowBytes = 4 * (d + 1)
            guard d > 0, raw.count % rowBytes == 0 else {
                throw ValidationError("\(path): size \(raw.count) is not a whole number of rows of dimension \(d)")
            }
            let rows = raw.count / rowBytes
            var values: [Element] = []
            values.reserveCapacity(rows * d)
            for r in 0..<rows {
                let offset = r * rowBytes
                guard Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))) == d else {
                    throw ValidationError("\(path): row \(r) has a different dimension than row 0 (\(d))")
                }
                for j in 0..<d {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 + 4 * j, as: UInt32.self))
                    values.append(unsafeBitCast(bits, to: Element.self))
                }
            }
            return TexmexFile(dimension: d, count: rows, values: values)
        }
    }
}
