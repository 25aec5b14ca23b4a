import ArgumentParser
import AssayCore
import Foundation

/// `assay feedback [add] TRACE_ID ...` (or `--session ID`): one piece of feedback from the command line.
struct FeedbackAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Give feedback on a trace, on one span with --span, or on a whole session with --session (the default subcommand).",
        discussion: """
            Feedback on a session is stored on its first trace, with the session's id.

            Examples:
              assay feedback 6754614c64ffc6049b70e7695b05816f \\
                  --down --flag --comment 'cites the wrong policy'
              assay feedback 6754614c64ffc6049b70e7695b05816f \\
                  --correction-file fixed-reply.txt
              assay feedback 6754614c64ffc6049b70e7695b05816f \\
                  --span 00f067aa0ba902b7 --label intent=refund
              assay feedback 6754614c64ffc6049b70e7695b05816f \\
                  --score helpfulness=0.4 --source model --author judge-v1
              assay feedback --session conv-42 --down --flag \\
                  --correction 'The meeting is on Thursday.'
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The trace id: 32 hex characters (none with --session).", valueName: "trace-id"))
    var traceID: String?

    @Option(help: ArgumentHelp("Give the feedback on this span of the trace (16 hex characters).", valueName: "span-id"))
    var span: String?

    @Option(help: ArgumentHelp("Give the feedback on this whole session instead of a trace.", valueName: "id"))
    var session: String?

    @Flag(help: "Rate up (the output was good).")
    var up = false

    @Flag(help: "Rate down (the output was bad).")
    var down = false

    @Option(help: ArgumentHelp("A named score, name=number; repeatable.", valueName: "name=value"))
    var score: [String] = []

    @Option(help: ArgumentHelp("A named label, name=value; repeatable.", valueName: "name=value"))
    var label: [String] = []

    @Option(help: ArgumentHelp("The right output, as text.", valueName: "text"))
    var correction: String?

    @Option(help: ArgumentHelp("Read the correction from a file (- for standard input).", valueName: "file"))
    var correctionFile: String?

    @Flag(help: "The correction is JSON (checked), not text.")
    var json = false

    @Option(help: ArgumentHelp("A comment.", valueName: "text"))
    var comment: String?

    @Flag(name: [.customLong("flag")], help: "Flag the trace, span or session as needing review.")
    var flag = false

    @Option(help: ArgumentHelp("Who gives it (default: $ASSAY_AUTHOR, else $USER).", valueName: "name"))
    var author: String?

    @Option(help: ArgumentHelp("human, model or code.", valueName: "source"))
    var source = "human"

    @Flag(name: .customLong("print-json"), help: "Print the stored feedback as JSON.")
    var printJSON = false

    func validate() throws {
        _ = try target()
        if try review(correctionText: nil).isEmpty && correctionFile == nil {
            throw ValidationError("Say something: --up, --down, --score, --label, --correction, --comment or --flag.")
        }
    }

    func run() throws {
        var text: String?
        if let correctionFile {
            let data = correctionFile == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: correctionFile)
            guard let data else { throw ValidationError("--correction-file: cannot read '\(DisplayFormat.safe(correctionFile))'.") }
            guard let s = String(data: data, encoding: .utf8) else { throw ValidationError("--correction-file: '\(DisplayFormat.safe(correctionFile))' is not UTF-8 text.") }
            text = s.hasSuffix("\n") && !json ? String(s.dropLast()) : s
        }
        let review = try review(correctionText: text)
        if review.isEmpty { throw ValidationError("--correction-file: '\(DisplayFormat.safe(correctionFile ?? ""))' is empty.") }
        let store = try self.store.open()
        let (traceID, spanID) = try target()
        let trace: TraceID
        if let session {
            // Feedback on a session is stored on its first trace (docs/conversations.md).
            guard let first = try store.sessionAnchor(session) else {
                throw AssayError.notFound(place: self.store.location, problem: "no session \(DisplayFormat.safe(session)) in the store")
            }
            trace = first
        } else {
            trace = traceID!
        }
        let feedback = Feedback(traceID: trace, spanID: spanID, sessionID: session, rating: review.rating, scores: review.scores,
                                labels: review.labels, correction: review.correction, comment: review.comment,
                                needsReview: review.needsReview, author: review.author, source: review.source, timeUnixNano: nowNanos())
        do {
            let counts = try store.add([feedback])
            if printJSON { print(FeedbackJSON.line(feedback)) } else {
                print(counts.added == 1 ? "stored feedback \(feedback.id) on \(target(feedback))" : "feedback \(feedback.id) was already stored")
            }
        } catch let refused as AssayError where !refused.unknownTargets.isEmpty {
            printRefusal(refused, source: nil)
            throw ExitCode(1)
        }
    }

    private func target(_ f: Feedback) -> String {
        if let s = f.sessionID { return "session \(DisplayFormat.safe(s)) (stored on its first trace \(f.traceID))" }
        return f.spanID.map { "span \($0) of trace \(f.traceID)" } ?? "trace \(f.traceID)"
    }

    /// The trace (nil with `--session`, whose first trace is read from the store) and span the options
    /// name; a usage error names the bad one.
    private func target() throws -> (TraceID?, SpanID?) {
        if let session {
            guard traceID == nil else { throw ValidationError("Give a trace id or --session, not both.") }
            guard span == nil else { throw ValidationError("--span: feedback with --session is on the whole session.") }
            guard !session.isEmpty, session.utf8.count <= FeedbackJSON.maxSessionIDBytes else {
                throw ValidationError("--session: expected 1 to \(FeedbackJSON.maxSessionIDBytes) bytes.")
            }
            return (nil, nil)
        }
        guard let traceID else { throw ValidationError("Give a trace id, or --session ID for feedback on a whole session.") }
        guard let trace = TraceID(hex: traceID), traceID.utf8.count == 32 else {
            throw ValidationError("trace-id: expected 32 hex characters (not all zero), got '\(DisplayFormat.safe(traceID, limit: 64))'.")
        }
        var spanID: SpanID?
        if let span {
            guard span.utf8.count == 16, let id = SpanID(hex: span) else { throw ValidationError("--span: expected 16 hex characters, got '\(DisplayFormat.safe(span, limit: 40))'.") }
            spanID = id
        }
        return (trace, spanID)
    }

    /// What the feedback says, whatever its target.
    private struct Review {
        var rating: Rating?
        var scores: [String: Double]
        var labels: [String: String]
        var correction: Correction?
        var comment: String?
        var needsReview: Bool
        var author: String
        var source: FeedbackSource

        var isEmpty: Bool { rating == nil && scores.isEmpty && labels.isEmpty && correction == nil && comment == nil && !needsReview }
    }

    /// What the options say; a usage error names the bad option.
    private func review(correctionText: String?) throws -> Review {
        if up && down { throw ValidationError("Choose one of --up and --down.") }
        if correction != nil && correctionFile != nil { throw ValidationError("Choose one of --correction and --correction-file.") }
        if json && correction == nil && correctionFile == nil { throw ValidationError("--json needs --correction or --correction-file.") }
        var scores: [String: Double] = [:]
        for s in score {
            let (name, value) = try pair(s, option: "--score")
            guard let d = Double(value), d.isFinite else { throw ValidationError("--score \(DisplayFormat.safe(name)): expected a number, got '\(DisplayFormat.safe(value))'.") }
            scores[name] = d
        }
        var labels: [String: String] = [:]
        for l in label {
            let (name, value) = try pair(l, option: "--label")
            labels[name] = value
        }
        guard let source = FeedbackSource(rawValue: source) else { throw ValidationError("--source: expected human, model or code, got '\(DisplayFormat.safe(source))'.") }
        let author = author ?? defaultAuthor()
        guard !author.isEmpty, author.utf8.count <= 128 else { throw ValidationError("--author: expected 1 to 128 bytes.") }
        var fix: Correction?
        if let text = correction ?? correctionText {
            if json {
                do { fix = .json(try JSONValue.parse(text).canonicalJSON) } catch {
                    throw ValidationError("\(correction != nil ? "--correction" : DisplayFormat.safe(correctionFile ?? "")): not valid JSON: \(error)")
                }
            } else if !text.allSatisfy(\.isWhitespace) {
                fix = .text(text)
            }
        }
        return Review(rating: up ? .up : down ? .down : nil, scores: scores, labels: labels, correction: fix,
                      comment: comment.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }, needsReview: flag, author: author, source: source)
    }

    private func pair(_ text: String, option: String) throws -> (String, String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ValidationError("\(option): expected name=value, got '\(DisplayFormat.safe(text))'.")
        }
        let name = String(text[..<eq]), value = String(text[text.index(after: eq)...])
        guard name.utf8.count <= 128, !value.isEmpty else { throw ValidationError("\(option): expected name=value, got '\(DisplayFormat.safe(text))'.") }
        return (name, value)
    }
}
