package import AssayCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Judge answers on disk, so that re-running an evaluation makes no calls and gives the same scores.
///
/// A file is named for the SHA-256 of the canonical JSON (keys sorted, compact) of everything that
/// decides the answer: the scorer kind, the endpoint URL, the model, and for `llm_judge` the
/// messages, temperature, max_tokens, response_format and scale, for `embedding_similarity` the input
/// texts. The API key is never part of it. A file holds
/// `{"version":1,"kind":…,"model":…,"created_at":…,"verdict":{…}}`; only well-formed verdicts are
/// written, atomically (a temporary file renamed into place). A file that cannot be read or does not
/// hold a well-formed verdict is a miss, and is overwritten by the next answer.
package struct JudgeCache: Sendable {
    /// The folder, created when first written.
    package let folder: String

    /// The cache file format version.
    static let version = 1

    /// Creates a cache in `folder`.
    package init(folder: String) { self.folder = folder }

    /// The file name (without `.json`) for the request `material`.
    package static func key(_ material: JSONValue) -> String { SHA256.hex(material.canonicalJSON) }

    /// The path of the file for `key`.
    package func path(forKey key: String) -> String { (folder as NSString).appendingPathComponent(key + ".json") }

    /// The cached verdict for `key`, nil when absent or unreadable (a corrupt file is a miss).
    package func verdict(forKey key: String, kind: String) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: path(forKey: key)),
              let entry = try? JSONValue.parse(String(decoding: data, as: UTF8.self)),
              entry["version"]?.double == Double(Self.version), entry["kind"]?.string == kind,
              let verdict = entry["verdict"], verdict.members != nil
        else { return nil }
        return verdict
    }

    /// Stores `verdict` for `key`, replacing any file there.
    /// - Throws: `CocoaError` or `POSIXError` when the folder or the file cannot be written.
    package func store(_ verdict: JSONValue, forKey key: String, kind: String, model: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let entry = JSONValue.object([
            ("version", .number(String(Self.version))), ("kind", .string(kind)), ("model", .string(model)),
            ("created_at", .string(Date().ISO8601Format())), ("verdict", verdict),
        ])
        let target = path(forKey: key)
        let temporary = (folder as NSString).appendingPathComponent(".\(key).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary, contents: Data((entry.compactJSON + "\n").utf8)) else {
            throw CocoaError(.fileWriteUnknown)
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }
}
