public import AssayCore
import Foundation

/// Reads OTLP/JSON from files or standard input into a `TraceStore`.
///
/// Parsing, decoding and encoding run on the calling thread while a second thread writes to the
/// store, so the two overlap on two cores; a bounded queue between them keeps memory flat however
/// large the input. Each source is written in one transaction: by default any invalid record or
/// span rejects the whole source and nothing of it is written; with `skipInvalid` the valid spans
/// are written and each rejected one is listed.
///
/// ```swift
/// let result = try Ingestor(store: store).ingest(.file("traces.jsonl"))
/// print(result.counts.spansNew)
/// ```
public struct Ingestor: Sendable {
    /// How ingest treats invalid input and sizes its work.
    public struct Options: Sendable {
        /// Write the valid spans of a source that has invalid ones (default: reject the source whole).
        public var skipInvalid = false
        /// Spans per batch handed to the writer.
        public var batchSpans = 2048
        /// Batches that may wait for the writer.
        public var queuedBatches = 4
        /// At most this many problems are kept per source (the count of rejections stays exact).
        public var maxListedProblems = 10_000

        /// The defaults.
        public init(skipInvalid: Bool = false) { self.skipInvalid = skipInvalid }
    }

    /// The outcome for one source.
    public struct Result: Sendable {
        /// The source's name.
        public var source: String
        /// What was read and written.
        public var counts: IngestCounts
        /// Every problem found, located `file:line: path: problem` (up to `maxListedProblems`).
        public var problems: [InputProblem]
        /// True when the source was rejected whole and nothing of it was written.
        public var rejectedWhole: Bool
        /// Bytes read from the source.
        public var bytes: Int
    }

    private let store: any TraceStore
    private let options: Options

    /// Creates an ingestor writing into `store`.
    public init(store: any TraceStore, options: Options = Options()) {
        self.store = store
        self.options = options
    }

    /// Ingests one source. Invalid input is reported in the result, not thrown.
    ///
    /// - Throws: `IngestError` when the source cannot be read, or the store's error when writing fails.
    public func ingest(_ source: IngestSource) throws -> Result {
        var reader = try source.reader()
        let store = self.store
        let skipInvalid = options.skipInvalid
        let abandon = AbandonFlag()
        // The capacity counts the batch being written too: `queuedBatches` wait behind it.
        let writer = SerialWriter<IngestBatch, IngestCounts>(
            name: "assay-ingest-writer", capacity: (options.queuedBatches + 1) * options.batchSpans, whenFull: .wait, weight: \.spans.count
        ) { next in
            try store.write { writer in
                var counts = IngestCounts()
                while let batches = next(0) { for batch in batches { counts += try writer.write(batch) } }
                if abandon.isSet { throw IngestError.abandoned }
                return counts
            }
        }

        var problems: [InputProblem] = []
        var rejectedSpans = 0, rejectedRecords = 0, validSpans = 0
        var batch = IngestBatchBuilder()
        var writerFailed = false
        func note(_ problem: InputProblem) {
            if problems.count < options.maxListedProblems {
                var located = problem
                located.source = source.name
                problems.append(located)
            }
        }
        func flush() {
            guard !batch.batch.spans.isEmpty, !writerFailed else { return }
            if problems.isEmpty || skipInvalid {
                if case .failure = writer.submit(batch.batch) { writerFailed = true }
            }
            batch = IngestBatchBuilder()
        }
        do {
            while !writerFailed {
                let record: JSONRecordReader.Record<DecodedRecord>
                do {
                    guard let next = try reader.next(OTLPJSONDecoder.decodeRecord) else { break }
                    record = next
                } catch let error as AssayError {
                    rejectedRecords += 1
                    error.inputProblems.forEach(note)
                    continue
                }
                let decoded = record.value
                rejectedSpans += decoded.rejected.count
                decoded.rejected.forEach(note)
                validSpans += decoded.data.spanCount
                batch.add(decoded.data)
                if batch.batch.spans.count >= options.batchSpans { flush() }
            }
        } catch {
            abandon.set()
            writer.close()
            _ = try? writer.join()
            throw error
        }
        flush()
        let rejectWhole = !problems.isEmpty && !skipInvalid
        if rejectWhole { abandon.set() }
        writer.close()

        var counts: IngestCounts
        do {
            counts = try writer.join()
        } catch IngestError.abandoned {
            counts = IngestCounts()
        }
        counts.spansRead = validSpans + rejectedSpans
        counts.spansRejected = rejectWhole ? validSpans + rejectedSpans : rejectedSpans
        counts.recordsRejected = rejectedRecords
        return Result(source: source.name, counts: counts, problems: problems, rejectedWhole: rejectWhole, bytes: reader.bytesRead)
    }
}


/// A flag the producer sets and the writer thread reads.
private final class AbandonFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
