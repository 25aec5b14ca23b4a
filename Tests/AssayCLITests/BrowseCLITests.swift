import Foundation
import Testing

/// `assay browse` written from real and hostile traces, then opened in headless Chromium (Debian's
/// `chromium`, installed by CI) by the page checker. Screenshots of the list and a trace land in
/// `Reports/` for people to look at.
@Suite("assay browse, in a real browser")
struct BrowseCLITests {
    static let checker = AssayProcess.packageRoot.appendingPathComponent("Tests/AssayBrowseTests/Page/check.py").path

    /// One trace whose every string is an attack on the page.
    static let hostile = #"""
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"</script><script>window.__pwned=1</script>"}}]},"scopeSpans":[{"scope":{"name":"evil"},"spans":[
        {"traceId":"0bad0bad0bad0bad0bad0bad0bad0bad","spanId":"00000000000000e1","name":"</script><script>window.__pwned=1</script>","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000","status":{"code":2,"message":"\"><img src=x onerror=window.__pwned=1>"},
         "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"input.value","value":{"stringValue":"javascript:window.__pwned=1"}},{"key":"\u202Egnp.exe","value":{"stringValue":"nul\u0000 and esc \u001b[31m"}}]},
        {"traceId":"0bad0bad0bad0bad0bad0bad0bad0bad","spanId":"00000000000000e2","parentSpanId":"00000000000000e1","name":"chat <b onmouseover=alert(1)>x</b>","startTimeUnixNano":"1700000000100000000","endTimeUnixNano":"1700000000500000000",
         "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"<svg onload=alert(1)>"}},
           {"key":"gen_ai.input.messages","value":{"stringValue":"[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"<iframe src=javascript:alert(1)>\"}]}]"}}]}
        ]}]}]}
        """#

    @Test("writes a page that lists, shows and searches traces in Chromium, with hostile strings inert")
    func browseInChromium() throws {
        let dir = try AssayProcess.workspace()
        try Self.hostile.replacingOccurrences(of: "\n", with: "").write(to: dir.appendingPathComponent("hostile.json"), atomically: true, encoding: .utf8)
        let fixtures = AssayProcess.packageRoot.appendingPathComponent("Tests/AssayTestSupport/Fixtures/otlp")
        let inputs = [CLITests.sample, dir.appendingPathComponent("hostile.json").path]
            + ["python-sdk.jsonl", "genai-structured.json", "openinference.json", "openllmetry.json", "collector-enum-names.json"].map { fixtures.appendingPathComponent($0).path }
        let ingest = try AssayProcess.run(["ingest"] + inputs, in: dir)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let browse = try AssayProcess.run(["browse", "--title", "Assay </title><script>alert(1)</script>"], in: dir)
        #expect(browse.status == 0, "\(browse.stderr)")
        #expect(browse.stdout.contains("Reports/browse.html: 13 traces"))
        let page = dir.appendingPathComponent("Reports/browse.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(!html.contains("<script>window.__pwned"))

        let reports = AssayProcess.packageRoot.appendingPathComponent("Reports")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-B", Self.checker, "--page", page.path, "--screens", reports.path]
        let out = Pipe()
        check.standardOutput = out
        check.standardError = out
        try check.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "the page checker failed (needs Chromium: apt-get install chromium):\n\(text.suffix(4000))")
        #expect(text.contains(" passed, 0 failed"), "\(text.suffix(2000))")
        #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent("traces-list.png").path))
        #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent("trace-view.png").path))
    }
}
