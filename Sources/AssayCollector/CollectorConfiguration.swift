/// How the collector listens, whom it admits, and how much it holds. Every setting has a flag and an
/// environment variable in `assay serve` (see `docs/collector.md`).
package struct CollectorConfiguration: Sendable {
    /// Address to listen on (`--host`, `ASSAY_HOST`); default `127.0.0.1`.
    package var host: String = "127.0.0.1"
    /// Port to listen on (`--port`, `ASSAY_PORT`); default 4318, the OTLP/HTTP port. 0 picks a free port.
    package var port: Int = 4318
    /// Bearer token writers must present (`--token-file`, `ASSAY_TOKEN`); nil admits everyone.
    package var token: String?
    /// Largest request body accepted, compressed and again after decompression (`--max-body-bytes`); default 64 MiB.
    package var maxBodyBytes: Int = 64 << 20
    /// Most spans waiting for the writer before requests are turned away with 503 (`--max-queued-spans`);
    /// default 50,000 (about 100 MB of prepared spans).
    package var maxQueuedSpans: Int = 50_000
    /// Most export requests read and decoded at once; more get 503 with Retry-After before their body is
    /// read, so memory stays bounded however many clients send (`--max-concurrent-requests`); default 16.
    package var maxConcurrentRequests: Int = 16
    /// Most spans the writer commits in one transaction; default 20,000.
    package var maxSpansPerCommit: Int = 20_000
    /// Seconds a client may take to send its request body before it gets 408 (`--read-timeout`); default 30.
    package var readTimeoutSeconds: Double = 30
    /// Seconds a connection may stay idle before it is closed; default 60.
    package var idleTimeoutSeconds: Double = 60

    /// The defaults.
    package init() {}

    /// True when `host` is a loopback address, where listening without a token is safe.
    package static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
