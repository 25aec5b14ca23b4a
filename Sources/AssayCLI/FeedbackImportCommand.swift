import ArgumentParser
import AssayCore
import Foundation

/// `assay feedback import FILE...`: feedback from JSON Lines files, all or nothing per command.
struct FeedbackImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import feedback from JSON Lines files (the trace browser's export, or other tools').",
        discussion: """
            One feedback object per line: traceId, spanId, sessionId, rating, scores, labels, correction, \
            comment, flagged, author, source, time (see docs/feedback.md); an item with a sessionId and \
            no traceId is stored on the session's first trace. Every problem is printed as \
            file:line: path: problem, and then nothing is stored; so is feedback on a trace that is not \
            in the store. Importing the same file again adds nothing (ids are content hashes).

            Example:
              assay feedback import assay-feedback-traces-2026-11-21.jsonl
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("JSON Lines files; - for standard input.", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("The author of items that name none (default: $ASSAY_AUTHOR, else $USER).", valueName: "name"))
    var author: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one file to import, or - for standard input.") }
    }

    func run() throws {
        // Opened once something needs it: a session to anchor on, or the items to store.
        var opened: (any AssayStore)?
        var all: [(Feedback, String, Int)] = []
        var failed = false
        var anchors: [String: TraceID] = [:]
        var storeError: (any Error)?
        for file in files {
            let name = file == "-" ? "<stdin>" : file
            let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
            guard let data else {
                printError("\(DisplayFormat.safe(name, limit: 200)): cannot read the file")
                failed = true
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                printError("\(DisplayFormat.safe(name, limit: 200)): not UTF-8 text")
                failed = true
                continue
            }
            let parsed = FeedbackLines.parse(text, source: DisplayFormat.safe(name, limit: 200), now: nowNanos(),
                                             defaultAuthor: author ?? defaultAuthor()) { session in
                if let known = anchors[session] { return known }
                do {
                    let store = try opened ?? self.store.open()
                    opened = store
                    anchors[session] = try store.sessionAnchor(session)
                } catch {
                    storeError = error
                }
                return anchors[session]
            }
            if let storeError { throw storeError }
            switch parsed {
            case .success(let items): all += items.enumerated().map { ($0.element, name, $0.offset) }
            case .failure(let error):
                for p in error.inputProblems { printError(DisplayFormat.safe(p.description, limit: 2000)) }
                failed = true
            }
        }
        if failed {
            printError("nothing was imported")
            throw ExitCode(1)
        }
        do {
            let counts = try (opened ?? store.open()).add(all.map(\.0))
            print("imported \(counts.added) feedback items (\(counts.present) already stored)")
        } catch let refused as AssayError where !refused.unknownTargets.isEmpty {
            for u in refused.unknownTargets {
                let (_, file, index) = all[u.index]
                printError("\(DisplayFormat.safe(file, limit: 200)): item \(index + 1): \(u.description)")
            }
            printError("nothing was imported")
            throw ExitCode(1)
        }
    }
}
