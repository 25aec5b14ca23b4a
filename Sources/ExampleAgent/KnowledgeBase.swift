import AssayCore
import Foundation

/// One knowledge-base document.
struct KBDocument: Sendable {
    /// The id, e.g. `kb-refund-002`.
    var id: String
    /// The text the search matches and the reply step reads.
    var content: String
}

/// The knowledge base and its keyword search: the same on every tier, so retrieval quality does not
/// grow with the model (the harness bottleneck the example is meant to show). The Python agent does
/// exactly the same computation.
enum KnowledgeBase {
    /// How many documents a search returns.
    static let topK = 3

    /// Every document, in id order.
    static let documents: [KBDocument] = [
        KBDocument(id: "kb-account-001", content: "Account owners can add or remove users from the admin page; removed users lose access at once."),
        KBDocument(id: "kb-account-003", content: "Locked account or login problems: send a reset link with the reset_password tool, never a password in the email. Links expire after 30 minutes."),
        KBDocument(id: "kb-billing-001", content: "Invoices are issued on the first business day of each month and are payable within 30 days."),
        KBDocument(id: "kb-billing-003", content: "Quote the invoice number and the corrected amount; do not promise money back before finance confirms."),
        KBDocument(id: "kb-billing-007", content: "Billing corrections: when a customer was charged twice, finance issues a credit note plus a corrected invoice within two business days."),
        KBDocument(id: "kb-calendar-002", content: "Keep 09:00-10:00 free for stand-ups. External meetings end by 17:30 local time; offer two concrete slots."),
        KBDocument(id: "kb-calendar-005", content: "Internal all-hands takes place on the last Friday of each month; do not book customer calls then."),
        KBDocument(id: "kb-incident-001", content: "P1: customer-facing outage, such as dashboards down or query timeouts. Open a ticket with severity P1, page on-call, reply within 15 minutes with the ticket number."),
        KBDocument(id: "kb-incident-006", content: "Do not guess at root causes in customer replies; say the engineers are looking into it."),
        KBDocument(id: "kb-mail-001", content: "Newsletters and marketing mail go to the newsletters label; they never need an answer."),
        KBDocument(id: "kb-mail-002", content: "Phishing: messages asking for card details or passwords are left to the filter. Never click their links."),
        KBDocument(id: "kb-privacy-001", content: "Data subject requests (access, deletion) are logged in the privacy queue and answered within one month after identity checks."),
        KBDocument(id: "kb-product-001", content: "Dashboards can be shared by link; share links can be revoked from the dashboard settings."),
        KBDocument(id: "kb-product-005", content: "Ideas from customers go on the product board. Thank the customer and never promise a release date."),
        KBDocument(id: "kb-refund-002", content: "Seats cancelled in the first 14 days are reimbursed in full to the original payment method within 5-7 business days."),
        KBDocument(id: "kb-refund-006", content: "Annual plans are not refundable after the first 14 days; offer a downgrade at renewal instead."),
        KBDocument(id: "kb-renewals-004", content: "Contract renewal calls are 30 minutes and led by the account manager. Renewal terms and pricing are discussed only on the call."),
        KBDocument(id: "kb-security-002", content: "Vulnerability disclosures: create a ticket in the security queue with severity P1, acknowledge within 24 hours, no bounty promises."),
        KBDocument(id: "kb-security-011", content: "Never send contract PDFs to addresses outside the customer's verified domain."),
        KBDocument(id: "kb-shipping-001", content: "Hardware deliveries: track the order with the carrier; customs holds add 3-5 days. Give the customer the new estimated date."),
        KBDocument(id: "kb-shipping-004", content: "Damaged hardware is replaced free of charge; ask for a photo of the packaging."),
        KBDocument(id: "kb-status-001", content: "Public status page for incidents and outages: https://status.northwind.example"),
    ]

    /// Words that say nothing about the topic.
    static let stopwords: Set<String> = [
        "about", "after", "also", "been", "before", "could", "does", "each", "every", "first", "from", "have",
        "into", "just", "more", "need", "needs", "only", "other", "our", "over", "please", "should", "since",
        "still", "than", "that", "their", "them", "then", "there", "they", "this", "thanks", "what", "when",
        "which", "with", "within", "would", "your", "yours",
    ]

    /// The distinct topic words of a text: lower-case ASCII letters and digits, four or more
    /// characters, stopwords removed, in order of first appearance.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        var current = ""
        func flush() {
            if current.count >= 4, !stopwords.contains(current), seen.insert(current).inserted { out.append(current) }
            current = ""
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII, let c = Character(scalar).lowercased().first, c.isLetter || c.isNumber {
                current.append(c)
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    /// The query the retrieval step sends: the subject's and body's topic words.
    static func query(for email: String) -> String {
        let withoutFrom = email.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.lowercased().hasPrefix("from:") }.joined(separator: "\n")
        return words(withoutFrom).joined(separator: " ")
    }

    /// The `topK` documents with the most query words, best first (ties by id); documents matching
    /// no word are left out. A document's score is its matching query words over the square root of
    /// its word count, rounded to 3 decimals.
    static func search(_ query: String) -> [RetrievedDocument] {
        let q = Set(query.split(separator: " ").map(String.init))
        var scored: [(document: KBDocument, score: Double)] = []
        for document in documents {
            let d = words(document.content)
            let hits = d.filter { q.contains($0) }.count
            guard hits > 0 else { continue }
            let score = (Double(hits) / Double(d.count).squareRoot() * 1000).rounded() / 1000
            scored.append((document, score))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.document.id < $1.document.id }
        return scored.prefix(topK).map { RetrievedDocument(id: $0.document.id, score: $0.score, content: $0.document.content) }
    }
}
