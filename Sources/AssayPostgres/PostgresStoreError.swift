import Foundation

/// What went wrong with the PostgreSQL store; every message names the database (its URL without the
/// password) and never holds the password or a statement's bound values.
public enum PostgresStoreError: Error, CustomStringConvertible, Sendable {
    /// The `--db` URL is not one the store understands.
    case badURL(String, problem: String)
    /// No connection could be made (refused, unreachable, TLS).
    case connect(location: String, reason: String)
    /// The server refused the user's credentials.
    case authentication(location: String, user: String, reason: String)
    /// The server answered a statement with an error.
    case server(location: String, sqlState: String, message: String)
    /// The connection broke while a statement ran.
    case connectionLost(location: String, reason: String)
    /// A stored row could not be read back.
    case corruptRow(table: String, reason: String)
    /// The schema could not be brought up to date.
    case migration(location: String, id: String, reason: String)

    public var description: String {
        switch self {
        case .badURL(let url, let problem): "--db \(url): \(problem)"
        case .connect(let location, let reason): "\(location): cannot connect to PostgreSQL: \(reason)"
        case .authentication(let location, let user, let reason): "\(location): PostgreSQL refused user '\(user)': \(reason)"
        case .server(let location, let state, let message): "\(location): PostgreSQL error \(state): \(message)"
        case .connectionLost(let location, let reason): "\(location): the connection to PostgreSQL was lost: \(reason)"
        case .corruptRow(let table, let reason): "store table \(table): unreadable row: \(reason)"
        case .migration(let location, let id, let reason): "\(location): migration \(id) failed: \(reason)"
        }
    }

    /// True for errors a transaction may be retried after: a deadlock or a serialization failure.
    var isRetryable: Bool {
        if case .server(_, let state, _) = self { return state == "40P01" || state == "40001" }
        return false
    }
}
