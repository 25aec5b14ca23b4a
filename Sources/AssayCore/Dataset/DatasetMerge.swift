/// Merges promoted examples into a dataset: an example whose id is new is added; one whose content
/// changed (a new correction, say) replaces the old one in place, keeping its first promotion time;
/// one that did not change is left byte for byte. The memory facts written by hand on a multi-turn
/// example are kept when it is promoted again. Lines are ordered by id, so the file's order never
/// depends on when or where an example was promoted.
public enum DatasetMerge {
    /// What a merge did.
    public struct Changes: Sendable, Hashable {
        /// Ids of examples added.
        public var added: [String] = []
        /// Ids of examples replaced because their content changed.
        public var updated: [String] = []
        /// Ids of examples already present as they are.
        public var unchanged: [String] = []
        /// Promoted examples left out because an example with another id already has the same input.
        public var duplicates: [DatasetTools.Duplicate] = []
        /// Whether the file changes.
        public var isEmpty: Bool { added.isEmpty && updated.isEmpty }
    }

    /// The merged examples, ordered by id, and what changed.
    public static func merge(existing: [DatasetExample], promoted: [DatasetExample], time: String) -> ([DatasetExample], Changes) {
        var byID = Dictionary(existing.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byInput = Dictionary(existing.map { ($0.inputKey, $0.id) }, uniquingKeysWith: { a, _ in a })
        var changes = Changes()
        for var e in promoted {
            // A second copy of an input under another id (a hand-written example, say) would count twice.
            if let other = byInput[e.inputKey], other != e.id {
                changes.duplicates.append(DatasetTools.Duplicate(id: e.id, sameAs: other))
                continue
            }
            byInput[e.inputKey] = e.id
            if let old = byID[e.id] {
                // Memory facts are written by hand (a session does not say which facts matter): keep them.
                if e.isConversation, e.memory.isEmpty, old.isConversation { e.memory = old.memory }
                if DatasetLine.content(old) == DatasetLine.content(e) {
                    changes.unchanged.append(e.id)
                    continue
                }
                e.provenance?.promotedAt = old.provenance?.promotedAt ?? time
                e.provenance?.updatedAt = time
                changes.updated.append(e.id)
            } else {
                changes.added.append(e.id)
            }
            byID[e.id] = e
        }
        return (byID.values.sorted { $0.id < $1.id }, changes)
    }

    /// The dataset text for examples: one line each, ending with a newline.
    public static func text(_ examples: [DatasetExample]) -> String {
        examples.map { DatasetLine.encode($0) + "\n" }.joined()
    }

    /// The dataset's version: the first 12 hex digits of the SHA-256 of its text.
    public static func version(of text: String) -> String { String(SHA256.hex(text).prefix(12)) }
}
