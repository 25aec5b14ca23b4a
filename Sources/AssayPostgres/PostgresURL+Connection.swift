import NIOSSL
package import PostgresNIO

extension PostgresURL {
    /// The postgres-nio configuration of a connection to this URL: TLS as `sslmode` asks, a Unix
    /// socket when `host=` names a folder, a 10 s connect timeout.
    ///
    /// - Throws: `PostgresStoreError.connect` when TLS cannot be set up.
    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch self.tls {
        case .disable: tls = .disable
        case .prefer, .require:
            let context: NIOSSLContext
            do { context = try NIOSSLContext(configuration: .makeClientConfiguration()) } catch {
                throw PostgresStoreError.connect(location: description, reason: "TLS could not be set up: \(error)")
            }
            tls = self.tls == .require ? .require(context) : .prefer(context)
        }
        var c: PostgresConnection.Configuration
        if let folder = socketFolder {
            c = .init(unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            c = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        c.options.connectTimeout = .seconds(10)
        return c
    }
}
