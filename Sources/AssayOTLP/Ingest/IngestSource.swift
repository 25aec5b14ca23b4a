import AssayCore
import Foundation

/// Where OTLP/JSON comes from: a file, standard input, or bytes in memory (tests, HTTP bodies).
public enum IngestSource: Sendable {
    case file(String)
    case standardInput
    case bytes(name: String, [UInt8])

    /// The name used in messages: the path, `<stdin>`, or the given name.
    public var name: String {
        switch self {
        case .file(let path): path
        case .standardInput: "<stdin>"
        case .bytes(let name, _): name
        }
    }

    /// A record reader over the source.
    func reader() throws -> JSONRecordReader {
        switch self {
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                throw IngestError.unreadable(path: path, reason: !exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : "permission denied")
            }
            return JSONRecordReader(handle: handle, name: path)
        case .standardInput:
            return JSONRecordReader(handle: FileHandle.standardInput, name: name)
        case .bytes(_, let bytes):
            return JSONRecordReader(bytes: bytes)
        }
    }
}
