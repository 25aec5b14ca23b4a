import Testing
@testable import AssayCore

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("quotes a string as a JSON literal: quotes, backslashes and control characters escaped, the rest as is")
    func quoted() {
        #expect(JSONWriter.quoted("a\"b\\c\n\r\t\u{0}\u{1B}é漢字🙂") == #""a\"b\\c\n\r\t\u0000\u001bé漢字🙂""#)
        #expect(JSONWriter.quoted("") == #""""#)
    }
}
