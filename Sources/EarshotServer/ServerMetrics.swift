#if Server
    import Prometheus

    /// The server's Prometheus metrics (`GET /metrics`, text format 0.0.4):
    /// - `earshot_requests_total{endpoint, status}`: answered uploads by status, and streams by how they ended
    ///   (`endpoint="stream"`, status "ok", "refused", "bad_input", "timeout", "client_gone", "shutdown", "error");
    /// - `earshot_audio_seconds_total{endpoint}`: seconds of audio decoded;
    /// - `earshot_real_time_factor{endpoint}`: histogram of decoding time / audio duration (uploads: whole files;
    ///   streams: each chunk);
    /// - `earshot_request_duration_seconds{endpoint}`: histogram of an upload's time from its body to its answer;
    /// - `earshot_active_streams`, `earshot_queued_uploads`, `earshot_busy_workers`: gauges;
    /// - `earshot_errors_total{endpoint, kind}`: failures by kind (`bad_request`, `too_large`, `busy`, `bad_audio`,
    ///   `timeout`, `internal`, …).
    final class ServerMetrics: Sendable {
        let registry = PrometheusCollectorRegistry()
        let activeStreams: Gauge
        let queuedUploads: Gauge
        let busyWorkers: Gauge

        init() {
            activeStreams = registry.makeGauge(
                descriptor: Self.name("active", "streams", "WebSocket streams open now."))
            queuedUploads = registry.makeGauge(
                descriptor: Self.name("queued", "uploads", "Uploads waiting for a worker."))
            busyWorkers = registry.makeGauge(
                descriptor: Self.name("busy", "workers", "Decoding workers running a job."))
        }

        func request(endpoint: String, status: String) {
            registry.makeCounter(
                descriptor: Self.name(
                    "requests", "total", "Requests answered (uploads by HTTP status; streams by how they ended)."),
                labels: [("endpoint", endpoint), ("status", status)]
            ).increment()
        }

        func error(endpoint: String, kind: String) {
            registry.makeCounter(
                descriptor: Self.name("errors", "total", "Failures by kind."),
                labels: [("endpoint", endpoint), ("kind", kind)]
            ).increment()
        }

        /// `seconds` of audio decoded in `decodingSeconds`.
        func decoded(endpoint: String, audioSeconds: Double, decodingSeconds: Double) {
            registry.makeCounter(
                descriptor: Self.name("audio_seconds", "total", "Seconds of audio decoded."),
                labels: [("endpoint", endpoint)]
            ).increment(by: audioSeconds)
            guard audioSeconds > 0 else { return }
            registry.makeValueHistogram(
                descriptor: Self.name("real_time", "factor", "Decoding time divided by audio duration."),
                labels: [("endpoint", endpoint)],
                buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5]
            ).record(decodingSeconds / audioSeconds)
        }

        func requestDuration(endpoint: String, seconds: Double) {
            registry.makeValueHistogram(
                descriptor: Self.name(
                    "request_duration", "seconds", "Time from an upload's body to its answer, in seconds."),
                labels: [("endpoint", endpoint)], buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
            ).record(seconds)
        }

        /// `earshot_<name>_<unit>` with its help text.
        private static func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "earshot", metricName: name, unitName: unit, helpText: help)
        }

        /// The registry in Prometheus' text format, gauges of the pool refreshed first.
        func exposition(pool: DecodingPool) -> String {
            let load = pool.load
            queuedUploads.set(Double(load.uploadsWaiting))
            busyWorkers.set(Double(load.running))
            return registry.emitToString()
        }
    }
#endif
