package import AssayCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Recorded responses, one JSON file per request at `FOLDER/PROVIDER/AB/HASH.json` (docs/gateway.md,
/// "Cache and replay"). Files are written to a temporary name and renamed, so concurrent cells and
/// runs share a folder safely. No header is stored: keys never reach the cache.
package struct LLMCache: Sendable {
    /// One recorded response.
    package struct Entry: Sendable, Equatable {
        /// The HTTP status (2xx only are recorded).
        package var status: Int
        /// The response's content type.
        package var contentType: String
        /// A non-streaming body.
        package var body: [UInt8]?
        /// A stream's events, each as received (replayed as one chunk each).
        package var events: [[UInt8]]?

        /// Creates an entry.
        package init(status: Int, contentType: String, body: [UInt8]? = nil, events: [[UInt8]]? = nil) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.events = events
        }
    }

    /// The cache's folder.
    package let folder: String

    /// A cache in `folder` (created on the first write).
    package init(folder: String) { self.folder = folder }

    /// The file of a request.
    package func path(provider: String, hash: String) -> String {
        "\(folder)/\(provider)/\(hash.prefix(2))/\(hash).json"
    }

    /// The recorded response, or nil; a file that cannot be read as an entry counts as absent.
    package func read(provider: String, hash: String) -> Entry? {
        guard let data = FileManager.default.contents(atPath: path(provider: provider, hash: hash)),
              let json = try? JSONValue.parse(String(decoding: data, as: UTF8.self)),
              let status = json["status"]?.double, let type = json["content_type"]?.string else { return nil }
        if let events = json["events"]?.elements {
            return Entry(status: Int(status), contentType: type, events: events.compactMap { $0.string.map { Array($0.utf8) } })
        }
        guard let body = json["body"]?.string else { return nil }
        return Entry(status: Int(status), contentType: type, body: Array(body.utf8))
    }

    /// A recording as the bytes of its file, and where it goes.
    package func encode(_ entry: Entry, provider: String, api: ProviderAPI, model: String, hash: String, request: JSONValue) -> (path: String, bytes: [UInt8]) {
        var members: [(String, JSONValue)] = [
            ("format", .string("assay-llm-cache/1")), ("hash", .string(hash)), ("provider", .string(provider)), ("api", .string(api.rawValue)),
            ("model", .string(model)), ("status", .number(String(entry.status))), ("content_type", .string(entry.contentType)),
        ]
        if let events = entry.events { members.append(("events", .array(events.map { .string(String(decoding: $0, as: UTF8.self)) }))) }
        if let body = entry.body { members.append(("body", .string(String(decoding: body, as: UTF8.self)))) }
        members.append(("request", request))
        return (path(provider: provider, hash: hash), Array((JSONValue.object(members).compactJSON + "\n").utf8))
    }

    /// Records a response with its request (for review), atomically, now.
    package func write(_ entry: Entry, provider: String, api: ProviderAPI, model: String, hash: String, request: JSONValue) throws(GatewayError) {
        let (file, bytes) = encode(entry, provider: provider, api: api, model: model, hash: hash, request: request)
        try Self.store(bytes, at: file)
    }

    /// Writes a file under a temporary name in its folder (made when missing), then renames it into place.
    static func store(_ bytes: [UInt8], at file: String) throws(GatewayError) {
        let dir = (file as NSString).deletingLastPathComponent
        let temporary = dir + "/.\((file as NSString).lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        var fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0, errno == ENOENT {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw .cacheUnwritable(dir, "cannot create the folder: \(error.localizedDescription)")
            }
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw .cacheUnwritable(dir, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw .cacheUnwritable(dir, "cannot write \(temporary): \(reason)")
            }
            written += n
        }
        close(fd)
        guard rename(temporary, file) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cacheUnwritable(dir, "cannot rename a recording to \(file): \(reason)")
        }
    }
}
