import Foundation
import Logging
import Prometheus
import WeirServer
import WeirTopology

/// Starts `weir run`'s HTTP server next to the job: gauges from the job's counters, vector
/// search for document topologies. The job keeps the main thread; the server runs on Swift's
/// concurrency pool.
enum ServerRunner {
    static func start(
        settings: TopologyDefinition.HTTPServerSettings, registry: PrometheusCollectorRegistry,
        search: VectorSearchService?, job: any RunningTopology, logger: Logger
    ) -> Task<Void, Never> {
        let labels = [("topology", job.definition.name)]
        func gauge(_ name: String, _ unit: String, _ help: String) -> Prometheus.Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "weir", metricName: name, unitName: unit, helpText: help), labels: labels)
        }
        let lag = gauge("lag", "records", "Records behind the partitions' high watermarks")
        let recordsIn = gauge("records_in", "", "Records read from Kafka by this process")
        let assigned = gauge("assigned", "partitions", "Partitions assigned to this process")
        let indexed = gauge("index", "documents", "Documents in the in-process vector index")
        let lost = gauge("records_lost_to_retention", "", "Records deleted by the broker before they were read")
        let refresh: @Sendable () -> Void = {
            let p = job.progress
            lag.set(Double(p.lag ?? 0))
            recordsIn.set(Double(p.recordsIn))
            assigned.set(Double(p.assignedPartitions))
            indexed.set(Double(p.indexedDocuments))
            lost.set(Double(p.recordsLostBeforeRead))
        }
        let status: @Sendable () -> String = {
            let p = job.progress
            return """
                {"topology":"\(job.definition.name)","records_in":\(p.recordsIn),"records_committed":\(p.recordsCommitted),\
                "dead_letters":\(p.deadLetters),"commits":\(p.commits),"lag":\(p.lag.map(String.init) ?? "null"),\
                "assigned_partitions":\(p.assignedPartitions),"indexed_documents":\(p.indexedDocuments),\
                "records_replayed_into_index":\(p.recordsReplayedIntoIndex),"snapshots_written":\(p.snapshotsWritten)}
                """
        }
        let server = WeirHTTPServer(
            host: settings.host, port: settings.port, registry: registry, search: search, refresh: refresh, status: status,
            logger: logger)
        return Task {
            do {
                try await server.run { port in
                    logger.info("serving HTTP on http://\(settings.host):\(port) (/v1/search, /metrics, /v1/status, /health)")
                }
            } catch {
                logger.error("HTTP server on \(settings.listen) failed: \(error)")
            }
        }
    }
}
