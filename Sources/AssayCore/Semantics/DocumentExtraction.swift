/// Reads retrieved documents: OpenInference flattened keys (`retrieval.documents.0.document.id`) or a
/// structured / JSON-string list (`gen_ai.retrieval.documents`, `retrieval.documents`).
enum DocumentExtraction {
    static func documents(attributes: [Attribute]) -> [RetrievedDocument] {
        let flattened = MessageExtraction.indexed(attributes, prefix: "retrieval.documents.")
        if !flattened.isEmpty {
            return flattened.map { fields in
                RetrievedDocument(id: fields["document.id"], score: fields["document.score"].flatMap(Double.init), content: fields["document.content"])
            }
        }
        for key in ["gen_ai.retrieval.documents", "retrieval.documents"] {
            guard let value = attributes[key: key] else { continue }
            let list: [JSONValue]?
            if case .string(let s) = value { list = JSONValue.parseEmbedded(s)?.elements } else { list = JSONValue(value).elements }
            guard let list else { continue }
            return list.map { d in
                let score: Double? = if case .number(let n) = d["score"] ?? .null { Double(n) } else { d["score"]?.string.flatMap(Double.init) }
                return RetrievedDocument(id: (d["id"] ?? d["document.id"])?.text, score: score, content: (d["content"] ?? d["text"])?.text)
            }
        }
        return []
    }
}
