import Foundation

/// A `--db postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]` URL.
///
/// The password may also come from `PGPASSWORD` (better than a URL that lands in shell history and
/// process listings). `?host=/run/postgresql` connects through a Unix socket in that folder.
/// `description` never holds the password.
public struct PostgresURL: Sendable, CustomStringConvertible {
    /// How the connection uses TLS.
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// A folder holding the server's socket, when connecting through a Unix socket.
    public var socketFolder: String?

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a URL; `PGPASSWORD` supplies the password when the URL has none.
    public init(_ text: String) throws { try self.init(text, environment: ProcessInfo.processInfo.environment) }

    /// Parses a URL; `environment` supplies `PGPASSWORD` when the URL has no password.
    public init(_ text: String, environment: [String: String]) throws {
        let shown = Self.redacted(text)
        guard Self.isPostgres(text), let parts = URLComponents(string: text) else {
            throw PostgresStoreError.badURL(shown, problem: "expected postgres://USER@HOST:PORT/DATABASE")
        }
        guard let user = parts.user?.removingPercentEncoding, !user.isEmpty else {
            throw PostgresStoreError.badURL(shown, problem: "no user: expected postgres://USER@HOST:PORT/DATABASE")
        }
        let database = String(parts.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresStoreError.badURL(shown, problem: "no database name after the host")
        }
        self.user = user
        self.database = database
        password = parts.password?.removingPercentEncoding ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        host = parts.host ?? ""
        port = parts.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresStoreError.badURL(shown, problem: "port \(port) is out of range") }
        tls = .prefer
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw PostgresStoreError.badURL(shown, problem: "sslmode: expected disable, prefer or require, got '\(item.value ?? "")'")
                }
                tls = mode
            case "host":
                guard let value = item.value, value.hasPrefix("/") else {
                    throw PostgresStoreError.badURL(shown, problem: "host: expected the folder of a Unix socket, got '\(item.value ?? "")'")
                }
                socketFolder = value
            case "application_name", "connect_timeout":
                continue
            default:
                throw PostgresStoreError.badURL(shown, problem: "unknown parameter '\(item.name)' (known: sslmode, host, application_name, connect_timeout)")
            }
        }
        guard !host.isEmpty || socketFolder != nil else { throw PostgresStoreError.badURL(shown, problem: "no host") }
    }

    /// The URL without its password: safe for logs, errors and run records.
    public var description: String {
        let place = socketFolder.map { "\($0)/.s.PGSQL.\(port)" } ?? "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        return "postgres://\(user)@\(place)/\(database)"
    }

    /// Any text that may be a URL with a password, with the password replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
