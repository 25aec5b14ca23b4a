/// Splits a `text/event-stream` body into events as its bytes arrive, keeping each event's raw bytes
/// (what replay sends again) and its `event:` name and `data:` text (what the gateway reads).
package struct ServerSentEvents: Sendable {
    /// One event.
    package struct Event: Sendable, Equatable {
        /// The event's bytes as received, its blank line included.
        package var raw: [UInt8]
        /// The `event:` field; nil when absent.
        package var name: String?
        /// The `data:` lines joined by newlines.
        package var data: String
    }

    private var pending: [UInt8] = []

    /// A parser with nothing pending.
    package init() {}

    /// Adds bytes; returns the events they complete.
    package mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        var start = 0
        var i = 0
        while i < pending.count {
            // An event ends at a blank line: LF LF, or CR LF CR LF.
            if pending[i] == 0x0A {
                var j = i + 1
                if j < pending.count, pending[j] == 0x0D { j += 1 }
                if j < pending.count, pending[j] == 0x0A {
                    events.append(Self.event(Array(pending[start...j])))
                    start = j + 1
                    i = j + 1
                    continue
                }
            }
            i += 1
        }
        if start > 0 { pending.removeFirst(start) }
        return events
    }

    /// What is left when the stream ends without a final blank line, as an event; nil when nothing is.
    package mutating func finish() -> Event? {
        defer { pending = [] }
        return pending.contains { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 } ? Self.event(pending) : nil
    }

    static func event(_ raw: [UInt8]) -> Event {
        var name: String?
        var data: [Substring] = []
        let text = String(decoding: raw, as: UTF8.self)
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if line.hasPrefix("event:") { name = String(line.dropFirst(6).drop { $0 == " " }) }
            else if line.hasPrefix("data:") { data.append(line.dropFirst(5).drop { $0 == " " }) }
        }
        return Event(raw: raw, name: name, data: data.joined(separator: "\n"))
    }
}
