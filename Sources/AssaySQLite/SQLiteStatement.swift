import GRDBSQLite

/// A prepared statement on a raw SQLite connection, for the ingest hot path where GRDB's argument
/// boxing would cost more than the insert itself. Used only inside a GRDB write transaction.
package final class SQLiteStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer

    package init(_ sql: String, on connection: OpaquePointer) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw SQLiteStoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(connection))) }
        self.handle = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    package func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    package func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    package func bind(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                let empty: StaticString = ""
                let base = chars.baseAddress ?? UnsafeRawPointer(empty.utf8Start).assumingMemoryBound(to: CChar.self)
                _ = sqlite3_bind_text64(handle, index, base, sqlite3_uint64(chars.count), sqliteTransient, UInt8(SQLITE_UTF8))
            }
        }
    }

    package func bind(_ index: Int32, bytes: [UInt8]?) {
        guard let bytes else { sqlite3_bind_null(handle, index); return }
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob64(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, sqlite3_uint64(raw.count), sqliteTransient)
        }
    }

    /// Binds an 8-byte big-endian id (so that blob order is numeric order).
    package func bind(_ index: Int32, id value: UInt64?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress, 8, sqliteTransient)
        }
    }

    /// Binds a 16-byte big-endian trace id.
    package func bind(_ index: Int32, trace: (UInt64, UInt64)) {
        var pair = (trace.0.bigEndian, trace.1.bigEndian)
        withUnsafeBytes(of: &pair) { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress, 16, sqliteTransient)
        }
    }

    /// Runs the statement to completion; returns the number of rows it changed.
    @discardableResult
    package func run() throws -> Int32 {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw SQLiteStoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(connection)))
        }
        return sqlite3_changes(connection)
    }

    /// Runs a query expected to return one integer; nil when it returns no row.
    package func int64() throws -> Int64? {
        defer { sqlite3_reset(handle) }
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return sqlite3_column_int64(handle, 0) }
        guard rc == SQLITE_DONE else { throw SQLiteStoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(connection))) }
        return nil
    }

    /// The current row of a stepped statement.
    package struct Row {
        fileprivate let handle: OpaquePointer
        /// An integer column.
        package func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
        /// A blob column; nil when NULL.
        package func bytes(_ column: Int32) -> [UInt8]? {
            guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let base = sqlite3_column_blob(handle, column) else { return [] }
            return [UInt8](UnsafeRawBufferPointer(start: base, count: count))
        }
    }

    /// Runs the statement and reads its first row with `read`; nil when it returns no row.
    package func step<T>(_ read: (Row) -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return read(Row(handle: handle)) }
        guard rc == SQLITE_DONE else { throw SQLiteStoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(connection))) }
        return nil
    }

    /// Runs a query returning a span id (blob), a name (text), a start and flags (integers); nil when it returns no row.
    package func topmostRow() throws -> (spanID: [UInt8], name: String, start: Int64, flags: Int64)? {
        defer { sqlite3_reset(handle) }
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_ROW else {
            guard rc == SQLITE_DONE else { throw SQLiteStoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(connection))) }
            return nil
        }
        func bytes(_ column: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let base = sqlite3_column_blob(handle, column) else { return [] }
            return [UInt8](UnsafeRawBufferPointer(start: base, count: count))
        }
        let id = bytes(0)
        let name = String(decoding: bytes(1), as: UTF8.self)
        return (id, name, sqlite3_column_int64(handle, 2), sqlite3_column_int64(handle, 3))
    }
}

/// SQLite's "copy the bound value now" destructor.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Errors of the SQLite store.
public enum SQLiteStoreError: Error, CustomStringConvertible {
    /// SQLite returned an error code.
    case sqlite(code: Int32, message: String)
    /// The database file could not be opened or migrated.
    case open(path: String, reason: String)
    /// A stored row could not be read back.
    case corruptRow(table: String, reason: String)

    public var description: String {
        switch self {
        case .sqlite(let code, let message): "SQLite error \(code): \(message)"
        case .open(let path, let reason): "\(path): cannot open the store: \(reason)"
        case .corruptRow(let table, let reason): "store table \(table): unreadable row: \(reason)"
        }
    }
}
