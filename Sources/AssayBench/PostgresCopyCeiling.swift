import AssayCore
import AssayOTLP
import AssayPostgres
import Foundation
import NIOCore
import PostgresNIO

/// The database's own ceiling for the collector's rows: the same request bodies decoded and prepared
/// as the collector and the store prepare them (`IngestBatch`, `TraceRollup`), then loaded with `COPY`
/// (text format) from several connections at once into a fresh database with the store's tables and
/// indexes, each connection its share in one transaction: its spans rows, then its traces rows.
/// Only the load is timed: decoding, the schema and encoding the rows happen before.
enum PostgresCopyCeiling {
    /// What the load wrote and how long it took.
    struct Result {
        var spans = 0
        var traces = 0
        var seconds = 0.0

        /// Rows (spans and traces) per second.
        var rowsPerSecond: Double { Double(spans + traces) / seconds }
        /// Spans per second.
        var spansPerSecond: Double { Double(spans) / seconds }
    }

    /// One connection's rows, a buffer of `COPY` text per request body.
    private struct Share: Sendable {
        var spans: [ByteBuffer] = []
        var traces: [ByteBuffer] = []
    }

    /// Loads the spans of `bodies` (OTLP protobuf) into `url`, an empty database, from `connections`
    /// connections; checks that every row arrived.
    static func measure(bodies: [CollectorBenchmark.Body], url: PostgresURL, connections: Int) throws -> Result {
        let batches = try bodies.map { IngestBatch(try OTLPProtoDecoder.decode($0.bytes)) }
        _ = try PostgresTraceStore(url: url)  // the store's own migrations: same tables and indexes
        let ids = try storeBodies(resources: batches.flatMap(\.resources), scopes: batches.flatMap(\.scopes), url: url)
        let now = WallClock.nowNanos()
        var shares = [Share](repeating: Share(), count: max(1, connections))
        var result = Result()
        for (i, batch) in batches.enumerated() {
            var spans = CopyTextRows(capacity: batch.spans.reduce(0) { $0 + 2 * $1.payload.count + 400 })
            PostgresCeilingRows.spans(batch, resources: batch.resources.map { ids.resources[$0]! }, scopes: batch.scopes.map { ids.scopes[$0]! },
                                      into: &spans)
            var traces = CopyTextRows()
            result.traces += PostgresCeilingRows.traces(batch, now: now, into: &traces)
            result.spans += batch.spans.count
            shares[i % shares.count].spans.append(spans.buffer)
            shares[i % shares.count].traces.append(traces.buffer)
        }
        result.seconds = try load(shares, url: url)
        let stored = try PostgresBenchDatabases.execute(["SELECT (SELECT count(*) FROM spans)::text || ' ' || (SELECT count(*) FROM traces)::text"], on: url)
        guard stored == ["\(result.spans) \(result.traces)"] else {
            throw BenchError("the ceiling stored \(stored.first ?? "nothing") spans and traces, expected \(result.spans) \(result.traces)")
        }
        return result
    }

    /// Opens a connection per share, then times every share's transaction, all at once.
    private static func load(_ shares: [Share], url: PostgresURL) throws -> Double {
        let logger = PostgresBenchDatabases.logger
        return try runBlocking {
            var opened: [PostgresConnection] = []
            do {
                for i in shares.indices { opened.append(try await PostgresBenchDatabases.connect(url, id: i + 1)) }
                let start = DispatchTime.now().uptimeNanoseconds
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (connection, share) in zip(opened, shares) {
                        group.addTask {
                            _ = try await connection.query("BEGIN", logger: logger)
                            try await connection.copyFrom(table: "spans", columns: PostgresCeilingRows.spanColumns, logger: logger) { writer in
                                for buffer in share.spans { try await writer.write(buffer) }
                            }
                            try await connection.copyFrom(table: "traces", columns: PostgresCeilingRows.traceColumns, logger: logger) { writer in
                                for buffer in share.traces { try await writer.write(buffer) }
                            }
                            _ = try await connection.query("COMMIT", logger: logger)
                        }
                    }
                    try await group.waitForAll()
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                for connection in opened { try? await connection.close() }
                return seconds
            } catch {
                for connection in opened { try? await connection.close() }
                throw BenchError("COPY into \(url.description): \(PostgresBenchDatabases.describe(error))")
            }
        }
    }

    /// Stores the distinct resource and scope bodies as the writer does (keyed by their SHA-256);
    /// returns each body's id.
    private static func storeBodies(resources: [[UInt8]], scopes: [[UInt8]], url: PostgresURL)
        throws -> (resources: [[UInt8]: Int64], scopes: [[UInt8]: Int64]) {
        let logger = PostgresBenchDatabases.logger
        return try runBlocking {
            let connection = try await PostgresBenchDatabases.connect(url, id: 0)
            var ids: [String: [[UInt8]: Int64]] = [:]
            do {
                for (table, bodies) in [("resources", resources), ("scopes", scopes)] {
                    var binds = PostgresBindings()
                    binds.append(Array(Set(bodies)).map { ByteBuffer(bytes: $0) })
                    _ = try await connection.query(PostgresQuery(unsafeSQL: """
                        INSERT INTO \(table) (hash, body) SELECT sha256(b), b FROM unnest($1::bytea[]) AS b ON CONFLICT (hash) DO NOTHING
                        """, binds: binds), logger: logger)
                    for try await (id, body) in try await connection.query(PostgresQuery(unsafeSQL: "SELECT id, body FROM \(table)"), logger: logger)
                        .decode((Int64, ByteBuffer).self) {
                        ids[table, default: [:]][Array(body.readableBytesView)] = id
                    }
                }
            } catch {
                try? await connection.close()
                throw BenchError("\(url.description): \(PostgresBenchDatabases.describe(error))")
            }
            try? await connection.close()
            return (ids["resources"] ?? [:], ids["scopes"] ?? [:])
        }
    }
}
