package import AssayCore

/// What one OTLP document (a JSON value or a protobuf request) decoded to: the valid spans, and one
/// located error per span that was rejected.
package struct DecodedRecord: Sendable {
    /// The valid spans, grouped as in the input.
    package var data: TracesData
    /// One error per rejected span, located by line and path.
    package var rejected: [InputProblem]
    /// For protobuf input: each valid span's own `Span` message bytes, in `data.allSpans` order, so
    /// they can be stored as they came instead of being encoded again.
    package var spanMessages: [[UInt8]]? = nil
}
