import Testing
@testable import AssayReports

@Suite("Report numbers")
struct ReportFormatTests {
    @Test("prints seconds from nanoseconds with a point and three decimals, by integer arithmetic",
          arguments: [(UInt64(0), "0.000"), (1_234_456_789, "1.234"), (1_234_500_000, "1.235"), (999_999_999, "1.000"),
                      (61_000_000_000_000, "61000.000"), (UInt64.max, "18446744073.710")])
    func seconds(nanos: UInt64, text: String) {
        #expect(ReportFormat.seconds(nanos) == text)
    }

    @Test("rounds fixed decimals without a locale", arguments: [(0.7349, 2, "0.73"), (-0.0004, 3, "0.000"), (-1.5, 1, "-1.5"),
                                                                  (2.0, 0, "2"), (Double.nan, 2, "n/a"), (0.125, 3, "0.125")])
    func fixed(value: Double, decimals: Int, text: String) {
        #expect(ReportFormat.fixed(value, decimals) == text)
    }

    @Test("groups thousands with commas and signs changes")
    func grouping() {
        #expect(ReportFormat.grouped(1_048_576) == "1,048,576")
        #expect(ReportFormat.grouped(12) == "12")
        #expect(ReportFormat.signed(0.05, 3) == "+0.050")
        #expect(ReportFormat.signed(-0.05, 3) == "-0.050")
    }

    @Test("truncates by UTF-8 bytes at a character boundary and says how much was cut")
    func truncate() {
        #expect(ReportFormat.truncate("short", maxBytes: 10) == "short")
        let text = "ab👩🏽‍💻cd"  // the emoji is one character of 15 bytes
        #expect(ReportFormat.truncate(text, maxBytes: 10) == "ab… [truncated: 19 bytes, 17 cut]")
        #expect(ReportFormat.truncate(text, maxBytes: 17).hasPrefix("ab👩🏽‍💻…"))
        let huge = ReportFormat.truncate(Hostile.huge, maxBytes: 4096)
        #expect(huge.utf8.count < 4200)
        #expect(huge.contains("cut]"))
    }
}
