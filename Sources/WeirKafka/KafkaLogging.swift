internal import CRdKafka
import Logging

/// Routes librdkafka's own log lines into swift-log (label `weir.rdkafka`), so they obey
/// the process's log level instead of going raw to stderr.
enum KafkaLogging {
    static let logger = Logger(label: "weir.rdkafka")

    /// Installs the forwarding callback on a configuration.
    static func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_log_cb(conf, callback)
    }

    static let callback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
        _, level, facility, message in
        let text = message.map { String(cString: $0) } ?? ""
        let fac = facility.map { String(cString: $0) } ?? ""
        let swiftLevel: Logger.Level
        switch level {
        case ...3: swiftLevel = .error
        case 4: swiftLevel = .warning
        case 5: swiftLevel = .notice
        case 6: swiftLevel = .info
        default: swiftLevel = .debug
        }
        KafkaLogging.logger.log(level: swiftLevel, "\(fac): \(text)")
    }
}
