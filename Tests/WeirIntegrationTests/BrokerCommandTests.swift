import Foundation
import Testing
import WeirCore
import WeirKafka

extension Integration {
    /// `weir broker` serves the Kafka protocol to clients in other processes: produce,
    /// group consume, and a clean exit on SIGTERM.
    @Suite("weir broker")
    struct BrokerCommandTests {
        @Test("another process produces to and consumes from `weir broker` as a consumer group")
        func brokerServesOtherProcesses() throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestServices.weirBinary)
            process.arguments = ["broker", "--brokers", "3", "--topic", "orders:3"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.terminate() } }

            // The first stdout line is the bootstrap address.
            var line: [UInt8] = []
            let handle = out.fileHandleForReading
            while true {
                let byte = handle.readData(ofLength: 1)
                guard let b = byte.first else { break }
                if b == UInt8(ascii: "\n") { break }
                line.append(b)
            }
            let bootstrap = String(decoding: line, as: UTF8.self)
            #expect(bootstrap.contains("127.0.0.1:"))
            #expect(bootstrap.split(separator: ",").count == 3)

            let producer = try KafkaProducer(bootstrapServers: bootstrap)
            for i in 0..<1_000 {
                try producer.send(topic: "orders", key: Array("k\(i % 17)".utf8), value: Array("order-\(i)".utf8))
            }
            try producer.flush()
            #expect(producer.deliveredCount == 1_000)

            let consumer = try KafkaConsumer(configuration: .init(
                bootstrapServers: bootstrap, groupId: TestServices.uniqueName("g"), topics: ["orders"],
                properties: KafkaProperties([("session.timeout.ms", "6000")])))
            var seen = Set<String>()
            var partitions = Set<Int32>()
            let deadline = Date().addingTimeInterval(60)
            while seen.count < 1_000 && Date() < deadline {
                consumer.poll(timeoutMilliseconds: 200) { message in
                    seen.insert(String(decoding: message.payload, as: UTF8.self))
                    partitions.insert(message.partition)
                }
            }
            consumer.close()
            #expect(seen.count == 1_000)
            #expect(partitions == [0, 1, 2])
            #expect(consumer.assignment.isEmpty, "close() leaves the group")

            producer.close()
            process.terminate()  // SIGTERM
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
        }
    }
}
