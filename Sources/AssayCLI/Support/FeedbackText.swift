import AssayCore

/// One line of text for a feedback item (on a trace, a span or a whole session), with trace text made
/// safe for a terminal.
enum FeedbackText {
    static func line(_ item: StoredFeedback) -> String {
        let f = item.feedback
        let target = f.sessionID.map { "session \(DisplayFormat.safe($0, limit: 40))" } ?? f.spanID.map { "span \($0)" } ?? "trace"
        var parts = [DisplayFormat.timestamp(nanos: f.timeUnixNano), f.id.rawValue, target,
                     "\(DisplayFormat.safe(f.author, limit: 40)) (\(f.source.rawValue))"]
        if let r = f.rating { parts.append(r == .up ? "up" : "down") }
        if f.needsReview { parts.append("flagged") }
        for (k, v) in f.scores.sorted(by: { $0.key < $1.key }) { parts.append("\(DisplayFormat.safe(k, limit: 40))=\(v)") }
        for (k, v) in f.labels.sorted(by: { $0.key < $1.key }) { parts.append("\(DisplayFormat.safe(k, limit: 40)):\(DisplayFormat.safe(v, limit: 40))") }
        if let c = f.correction {
            switch c {
            case .text(let t): parts.append("correction \"\(DisplayFormat.safe(t, limit: 60))\"")
            case .json(let t): parts.append("correction \(DisplayFormat.safe(t, limit: 60))")
            }
        }
        if let c = f.comment { parts.append("comment \"\(DisplayFormat.safe(c, limit: 60))\"") }
        if !item.isCurrent { parts.append("(superseded)") }
        return parts.joined(separator: "  ")
    }
}
