import Testing
@testable import AssayCore

@Suite("Markup text")
struct MarkupTextTests {
    @Test("removes characters XML 1.0 forbids and keeps tab, newline, carriage return and emoji")
    func clean() {
        #expect(MarkupText.clean("a\u{0}b\u{1B}c\u{FFFE}d\u{FFFF}e\t\n\r👩🏽‍💻\u{10FFFF}") == "abcde\t\n\r👩🏽‍💻\u{10FFFF}")
        #expect(MarkupText.clean("plain") == "plain")
    }

    @Test("escapes markup in text, so that ]]> cannot occur, and quotes and line breaks in attributes")
    func escape() {
        #expect(MarkupText.xmlText("a ]]> <b> & 'c' \"d\"") == "a ]]&gt; &lt;b&gt; &amp; 'c' \"d\"")
        #expect(MarkupText.xmlAttribute("a\"b'c\n\td\r<&>") == "a&quot;b&apos;c&#10;&#9;d&#13;&lt;&amp;&gt;")
    }

    @Test("escapes markup and quotes for HTML, keeps line breaks and drops control characters")
    func html() {
        #expect(MarkupText.html("a\"b'c\n\td\r<&>") == "a&quot;b&#39;c\n\td\r&lt;&amp;&gt;")
        #expect(MarkupText.html("a\u{0}b\u{1B}c\u{7F}d\u{85}e\u{9F}f\u{FFFE}g\u{FFFF}h👩🏽‍💻") == "abcdefgh👩🏽‍💻")
        #expect(MarkupText.html("<\u{301}x &\u{301}") == "&lt;\u{301}x &amp;\u{301}", "a combining mark does not hide markup")
    }
}
