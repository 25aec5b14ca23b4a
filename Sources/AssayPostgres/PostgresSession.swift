import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Connections to one database, used synchronously: the store protocols are synchronous, so each call
/// waits for postgres-nio's future on the caller's thread while the I/O runs on the store's own event
/// loops (never on the caller's, so a wait cannot block the I/O it waits for).
final class PostgresSession: Sendable {
    /// The event loops every PostgreSQL store of the process shares.
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    let url: PostgresURL
    private let configuration: PostgresConnection.Configuration
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(0)
    let logger: Logger
    /// Most idle connections kept for reuse.
    private let keepIdle = 8

    init(url: PostgresURL) throws {
        self.url = url
        var logger = Logger(label: "assay.postgres")
        logger.logLevel = .critical
        self.logger = logger
        configuration = try url.connectionConfiguration()
    }

    deinit {
        for connection in idle.withLock({ $0 }) { Self.close(connection) }
    }

    /// Runs `body` on a connection of the pool; a connection that failed is closed, not reused.
    func withConnection<T>(_ body: (PostgresDB) throws -> T) throws -> T {
        let connection = try checkOut()
        do {
            let result = try body(PostgresDB(connection: connection, location: url.description, logger: logger))
            checkIn(connection)
            return result
        } catch let error as PostgresStoreError {
            if case .server = error { checkIn(connection) } else { Self.close(connection) }
            throw error
        } catch {
            Self.close(connection)
            throw error
        }
    }

    private static func close(_ connection: PostgresConnection) {
        // postgres-nio wants a connection closed before it is released: the callback holds it until then.
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func checkOut() throws -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        let id = nextID.add(1, ordering: .relaxed).newValue
        do {
            return try PostgresConnection.connect(on: Self.group.next(), configuration: configuration, id: id, logger: logger).wait()
        } catch {
            throw PostgresDB.mapConnect(error, url: url)
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let kept = idle.withLock { list -> Bool in
            guard list.count < keepIdle else { return false }
            list.append(connection)
            return true
        }
        if !kept { Self.close(connection) }
    }
}

/// One connection, with synchronous statements and errors that name the database.
struct PostgresDB {
    let connection: PostgresConnection
    let location: String
    let logger: Logger

    /// Runs one statement and returns its rows.
    @discardableResult
    func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PGRow] {
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait().rows.map(PGRow.init)
        } catch {
            throw Self.map(error, location: location)
        }
    }

    /// The store's error for a failed statement: the server's SQLSTATE and message, never the bound values.
    static func map(_ error: any Error, location: String) -> PostgresStoreError {
        if let error = error as? PostgresStoreError { return error }
        guard let error = error as? PSQLError else { return .connectionLost(location: location, reason: "\(error)") }
        if error.code == .server, let info = error.serverInfo {
            return .server(location: location, sqlState: info[.sqlState] ?? "?", message: info[.message] ?? "no message")
        }
        return .connectionLost(location: location, reason: Self.reason(error))
    }

    /// The store's error for a failed connection attempt.
    static func mapConnect(_ error: any Error, url: PostgresURL) -> PostgresStoreError {
        let location = url.description
        if let error = error as? PSQLError {
            if error.code == .server, let info = error.serverInfo {
                let state = info[.sqlState] ?? ""
                let message = info[.message] ?? "no message"
                if state == "28P01" || state == "28000" { return .authentication(location: location, user: url.user, reason: message) }
                return .connect(location: location, reason: "\(message) (SQLSTATE \(state))")
            }
            if error.code == .authMechanismRequiresPassword {
                return .authentication(location: location, user: url.user, reason: "the server asks for a password: give it in PGPASSWORD")
            }
            return .connect(location: location, reason: reason(error))
        }
        return .connect(location: location, reason: "\(error)")
    }

    /// A PSQLError's code and underlying cause, without the query or its binds.
    private static func reason(_ error: PSQLError) -> String {
        guard let underlying = error.underlying else { return "\(error.code)" }
        if let failed = underlying as? NIOConnectionError {
            let causes = failed.connectionErrors.map { failure -> String in
                if let io = failure.error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
                return "\(failure.error)"
            }
            if causes.isEmpty { return "the host name did not resolve" }
            return Array(Set(causes)).sorted().joined(separator: "; ")
        }
        if let io = underlying as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        return "\(underlying)"
    }
}

/// A row read back, with typed columns.
struct PGRow {
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) { cells = row.makeRandomAccess() }

    func int64(_ i: Int) throws -> Int64 { try decode(Int64.self, i) }
    func optionalInt64(_ i: Int) throws -> Int64? { try decode(Int64?.self, i) }
    func text(_ i: Int) throws -> String { try decode(String.self, i) }
    func optionalText(_ i: Int) throws -> String? { try decode(String?.self, i) }
    func double(_ i: Int) throws -> Double { try decode(Double.self, i) }
    func bool(_ i: Int) throws -> Bool { try decode(Bool.self, i) }
    func textArray(_ i: Int) throws -> [String] { try decode([String].self, i) }
    func bytes(_ i: Int) throws -> [UInt8] { Array(try decode(ByteBuffer.self, i).readableBytesView) }
    func optionalBytes(_ i: Int) throws -> [UInt8]? { try decode(ByteBuffer?.self, i).map { Array($0.readableBytesView) } }

    private func decode<T: PostgresDecodable>(_ type: T.Type, _ i: Int) throws -> T {
        do { return try cells[i].decode(T.self) } catch {
            throw PostgresStoreError.corruptRow(table: cells[i].columnName, reason: "column \(i) is not \(T.self)")
        }
    }
}

extension ByteBuffer {
    /// A buffer holding these bytes.
    init(_ bytes: [UInt8]) { self.init(bytes: bytes) }
}

/// Text for a PostgreSQL text column: NUL is the one character PostgreSQL text cannot hold, so it
/// becomes U+FFFD there (the span's payload keeps the exact bytes).
func pgText(_ s: String) -> String { s.contains("\0") ? s.replacingOccurrences(of: "\0", with: "\u{FFFD}") : s }
