import ArgumentParser
import Foundation
import WeirCore
import WeirKafka

/// `weir generate`: deterministic Segment-style events to a topic or an NDJSON file.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write deterministic Segment-style events to a Kafka topic (keyed by user_id) or an NDJSON file.")

    @OptionGroup var options: GeneratorOptions

    @Option(help: "Write NDJSON here ('-' for stdout) instead of to Kafka.")
    var out: String?

    @Option(help: "Kafka bootstrap servers (when not writing a file).")
    var bootstrap: String?

    @Option(help: "Kafka topic.")
    var topic: String = "events"

    @Option(help: "Events per second (0: as fast as possible).")
    var rate: Double = 0

    func validate() throws {
        try options.validate()
        if out == nil && bootstrap == nil { throw ValidationError("give --out FILE or --bootstrap ADDR") }
        if rate < 0 { throw ValidationError("--rate must be >= 0") }
    }

    func run() throws {
        var generator = EventGenerator(configuration: try options.configuration())
        let pacer = Pacer(rate: rate)
        let started = Date()
        var count = 0
        if let out {
            let handle: FileHandle
            if out == "-" {
                handle = FileHandle.standardOutput
            } else {
                guard FileManager.default.createFile(atPath: out, contents: nil) else {
                    throw ValidationError("cannot create \(out)")
                }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            while let event = generator.next() {
                buffer.append(contentsOf: event.payload)
                buffer.append(UInt8(ascii: "\n"))
                count += 1
                if buffer.count >= 1 << 20 {
                    handle.write(Data(buffer))
                    buffer.removeAll(keepingCapacity: true)
                }
                pacer.wait(count)
            }
            handle.write(Data(buffer))
            if out != "-" { try handle.close() }
        } else if let bootstrap {
            let producer = try KafkaProducer(bootstrapServers: bootstrap)
            while let event = generator.next() {
                try producer.send(topic: topic, key: event.key, value: event.payload)
                count += 1
                if count % 10_000 == 0 { producer.poll() }
                pacer.wait(count)
            }
            try producer.flush()
        }
        let seconds = Date().timeIntervalSince(started)
        Console.err("weir generate: \(Console.grouped(count)) events in \(String(format: "%.2f", seconds)) s (\(Console.grouped(Int(Double(count) / max(seconds, 0.001)))) events/s) -> \(out ?? "topic \(topic)")")
    }
}

/// Generator settings shared by `generate`, `demo` and tests.
struct GeneratorOptions: ParsableArguments {
    @Option(help: "Distinct users (Zipf-like popularity).")
    var users: Int = 10_000

    @Option(help: "Days the event times span.")
    var days: Int = 7

    @Option(help: "Events to generate (duplicates included).")
    var events: Int = 100_000

    @Option(help: "Random seed; the same options give the same bytes.")
    var seed: UInt64 = 42

    @Option(help: "First day of the events, YYYY-MM-DD.")
    var startDay: String = "2024-01-01"

    @Option(help: "Maximum event-time disorder, in seconds either way.")
    var disorderSeconds: Int = 300

    @Option(help: "Probability that an event is immediately repeated byte for byte.")
    var duplicateRate: Double = 0.002

    func validate() throws {
        guard users > 0 else { throw ValidationError("--users must be > 0") }
        guard days > 0 else { throw ValidationError("--days must be > 0") }
        guard events >= 0 else { throw ValidationError("--events must be >= 0") }
        guard disorderSeconds >= 0 else { throw ValidationError("--disorder-seconds must be >= 0") }
        guard (0...1).contains(duplicateRate) else { throw ValidationError("--duplicate-rate must be in 0...1") }
        guard CivilDate.parseDay(startDay) != nil else { throw ValidationError("--start-day must be YYYY-MM-DD") }
    }

    func configuration() throws -> EventGenerator.Configuration {
        guard let start = CivilDate.parseDay(startDay) else { throw ValidationError("--start-day must be YYYY-MM-DD") }
        return EventGenerator.Configuration(
            users: users, days: days, events: events, seed: seed, startDay: start,
            disorderSeconds: disorderSeconds, duplicateProbability: duplicateRate)
    }
}

/// Sleeps as needed to hold an average rate.
struct Pacer {
    let rate: Double
    let start = ContinuousClock.now

    func wait(_ count: Int) {
        guard rate > 0, count % 100 == 0 else { return }
        let due = start + .milliseconds(Int64(Double(count) / rate * 1000))
        let now = ContinuousClock.now
        if due > now { Thread.sleep(forTimeInterval: Double((due - now).components.attoseconds) / 1e18 + Double((due - now).components.seconds)) }
    }
}
