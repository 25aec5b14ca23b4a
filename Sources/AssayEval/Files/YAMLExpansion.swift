import CYaml

/// Measures, from libyaml's event stream and before anything is composed, how many values each mapping
/// key expands to. Yams hashes mapping keys while it composes (to find duplicate keys), and a key that
/// is an alias of nested aliases hashes its whole expansion: a few hundred bytes hung the composer
/// before `YAMLDocument` could count anything (`Fuzz/Findings`). Values are not at risk there: Yams
/// shares an anchor's nodes between its aliases, and `YAMLDocument` counts the expansion of the
/// composed tree.
enum YAMLExpansion {
    /// The 1-based line of a mapping key that expands to more than `limit` values, or nil when there
    /// is none (or the text is not YAML: then the composer reports the syntax problem).
    static func keyOverLimit(_ text: String, limit: Int) -> Int? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var sizes: [String: Int] = [:]
            // Each open collection: its anchor, the values counted so far (itself included), whether it
            // is a mapping and, if so, whether its next child is a key.
            var open: [(anchor: String?, size: Int, mapping: Bool, key: Bool)] = [(nil, 0, false, false)]
            func add(_ size: Int, line: Int) -> Int? {
                let top = open.count - 1
                if open[top].mapping && open[top].key && size > limit { return line }
                open[top].size = min(Int.max / 2, open[top].size + size)
                if open[top].mapping { open[top].key.toggle() }
                return nil
            }
            func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT, YAML_NO_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    if let anchor = name(event.data.scalar.anchor) { sizes[anchor] = 1 }
                    if let over = add(1, line: line) { return over }
                case YAML_ALIAS_EVENT:
                    let size = name(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1
                    if let over = add(size, line: line) { return over }
                case YAML_SEQUENCE_START_EVENT:
                    open.append((name(event.data.sequence_start.anchor), 1, false, false))
                case YAML_MAPPING_START_EVENT:
                    open.append((name(event.data.mapping_start.anchor), 1, true, true))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard open.count > 1 else { return nil }
                    let closed = open.removeLast()
                    if let anchor = closed.anchor { sizes[anchor] = closed.size }
                    if let over = add(closed.size, line: line) { return over }
                default:
                    continue
                }
            }
        }
    }
}
