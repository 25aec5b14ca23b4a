import Testing
@testable import AssayCore

@Suite("Trace and span ids")
struct IDTests {
    @Test("parses hex in any case and prints lower case")
    func parsesAnyCase() throws {
        let id = try #require(TraceID(hex: "5B8EFFF798038103d269b633813FC60C"))
        #expect(id.description == "5b8efff798038103d269b633813fc60c")
        #expect(SpanID(hex: "EEE19B7EC3C1B174")?.description == "eee19b7ec3c1b174")
    }

    @Test("rejects wrong lengths, non-hex digits and all zeros", arguments: [
        "5b8efff798038103d269b633", "5b8efff798038103d269b633813fc60c00", "", "5b8efff798038103d269b633813fc6zz",
        "00000000000000000000000000000000",
    ])
    func rejectsBadTraceIDs(_ text: String) {
        #expect(TraceID(hex: text) == nil)
    }

    @Test("round-trips through bytes, big-endian")
    func bytesRoundTrip() throws {
        let id = try #require(TraceID(hex: "0102030405060708090a0b0c0d0e0f10"))
        #expect(id.bytes == Array(1...16))
        #expect(TraceID(bytes: id.bytes) == id)
        #expect(SpanID(bytes: [0, 0, 0, 0, 0, 0, 0, 0]) == nil)
        #expect(SpanID(bytes: [1, 2, 3, 4, 5, 6, 7, 8])?.description == "0102030405060708")
    }

    @Test("orders ids as unsigned big-endian numbers")
    func ordering() throws {
        #expect(try #require(SpanID(hex: "00000000000000ff")) < (try #require(SpanID(hex: "8000000000000000"))))
    }
}
