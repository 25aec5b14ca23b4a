import Foundation

/// Dataset files in a `Datasets/` folder: names that cannot escape it, reading with every problem
/// located, and atomic writes under an exclusive lock (docs/datasets.md).
public struct DatasetFolder: Sendable {
    /// The folder, e.g. `Datasets`.
    public var path: String

    /// A folder of datasets.
    public init(path: String = "Datasets") { self.path = path }

    /// The file of a dataset given as `NAME`, `NAME.jsonl` or `Datasets/NAME.jsonl`.
    ///
    /// - Throws: `AssayError.setting` for names with path separators, `..`, leading dots or other
    ///   characters, so that no name reaches outside the folder.
    public func file(for nameOrPath: String) throws(AssayError) -> (name: String, path: String) {
        var name = nameOrPath
        let prefix = (path as NSString).standardizingPath + "/"
        if name.hasPrefix("./") { name.removeFirst(2) }
        if name.hasPrefix(prefix) { name.removeFirst(prefix.count) } else if name.hasPrefix(path + "/") { name.removeFirst(path.count + 1) }
        if name.hasSuffix(".jsonl") { name.removeLast(6) }
        guard Self.validName(name) else { throw .setting(place: "dataset name '\(DisplayFormat.safe(nameOrPath, limit: 100))'", problem: "use letters, digits, '.', '_' and '-' (a file in Datasets/, no folders)") }
        return (name, path + "/" + name + ".jsonl")
    }

    /// Letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 100 characters.
    public static func validName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 100, !name.contains("..") else { return false }
        let alnum: (UInt8) -> Bool = { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
        return alnum(first) && name.utf8.allSatisfy { alnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    /// The names of the datasets in the folder, sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.map { String($0.dropLast(6)) }.filter(Self.validName).sorted()
    }

    /// Reads a dataset file; a missing file is an empty dataset when `missingIsEmpty`.
    public static func read(_ file: String, missingIsEmpty: Bool = false) throws(AssayError) -> LoadedDataset {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) {
            if missingIsEmpty { return LoadedDataset(path: file, text: "", examples: [], problems: []) }
            throw .notFound(place: file, problem: "no such dataset")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: file) else { throw .file(path: file, problem: "cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw .file(path: file, problem: "not UTF-8 text") }
        let (examples, problems) = DatasetParser.parse(text, source: file)
        return LoadedDataset(path: file, text: text, examples: examples, problems: problems)
    }

    /// Runs `body` holding an exclusive lock on the dataset (a `.NAME.jsonl.lock` file beside it), so
    /// that concurrent promotions take turns instead of losing each other's examples.
    public static func withLock<T>(_ file: String, _ body: () throws -> T) throws -> T {
        let folder = (file as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let lockPath = (folder.isEmpty ? "" : folder + "/") + "." + (file as NSString).lastPathComponent + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AssayError.file(path: lockPath, problem: "cannot write: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw AssayError.file(path: lockPath, problem: "cannot write: \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Replaces the file's content atomically: a temporary file in the same folder, flushed to disk,
    /// then renamed over the old one. A failure leaves the old file as it was.
    public static func writeAtomically(_ text: String, to file: String) throws(AssayError) {
        let folder = (file as NSString).deletingLastPathComponent
        let temp = (folder.isEmpty ? "" : folder + "/") + ".\((file as NSString).lastPathComponent).tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .file(path: file, problem: "cannot write: \(String(cString: strerror(errno)))") }
        var ok = true
        var bytes = Array(text.utf8)
        var offset = 0
        bytes.withUnsafeMutableBytes { raw in
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; ok = false; break }
                offset += n
            }
        }
        let reason = String(cString: strerror(errno))
        if ok && fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok, rename(temp, file) == 0 else {
            unlink(temp)
            throw .file(path: file, problem: "cannot write: \(reason)")
        }
        let dir = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        if dir >= 0 { fsync(dir); close(dir) }
    }
}

/// A dataset file as read: its text, the examples and any problems.
public struct LoadedDataset: Sendable {
    /// The file.
    public var path: String
    /// The whole text.
    public var text: String
    /// The examples (those without problems).
    public var examples: [DatasetExample]
    /// Every problem, as `file:line: path: problem`.
    public var problems: [InputProblem]
    /// The version: a hash of the text.
    public var version: String { DatasetMerge.version(of: text) }
}
