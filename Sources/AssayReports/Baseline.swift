package import AssayCore
import Foundation

/// A baseline to gate against: the per-example outcomes of one run, in a small file meant to be
/// committed (`assay baseline save RUN --to Reports/baseline.json`).
///
/// The file, version 1, with keys sorted and one example per line so that a diff shows what changed:
/// ```json
/// {
///   "version": 1,
///   "run": "run-20261121-184500-3f2a",
///   "suiteHash": "9f86d0…",
///   "createdAt": "2026-11-21T18:45:00Z",
///   "cells": {
///     "triage|low": {
///       "q17": {"passed": true, "score": 0.75},
///       "q18": {"passed": null, "score": null}
///     }
///   }
/// }
/// ```
/// A cell's key is `component|tier` (split at the last `|`, so tier names must not contain one). The
/// outcomes are those of `GateInput.run`: mean score over repeats and majority pass; `null` when the
/// example was not scored. A reader refuses a newer `version` rather than guess.
package struct Baseline: Hashable, Sendable {
    /// The format version this code writes and reads.
    package static let currentVersion = 1

    /// The file's format version.
    package var version: Int
    /// The id of the run it was taken from.
    package var run: String
    /// The suite's hash in that run: a gate can warn when the suite changed since.
    package var suiteHash: String
    /// When the baseline was written, ISO 8601.
    package var createdAt: String
    /// The outcomes, as the gate reads them.
    package var gateRun: GateRun

    /// Creates a baseline.
    package init(version: Int = Baseline.currentVersion, run: String, suiteHash: String, createdAt: String, gateRun: GateRun) {
        self.version = version
        self.run = run
        self.suiteHash = suiteHash
        self.createdAt = createdAt
        self.gateRun = gateRun
    }

    /// The baseline of a run, taken now unless `createdAt` is given.
    package init(_ record: RunRecord, createdAt: String? = nil) {
        self.init(run: record.id, suiteHash: record.suiteHash, createdAt: createdAt ?? Self.now(), gateRun: GateInput.run(record))
    }

    /// The file text of a run's baseline: stable (sorted keys, fixed layout) and diff-friendly.
    package static func encode(_ record: RunRecord, createdAt: String? = nil) -> String {
        Baseline(record, createdAt: createdAt).encoded()
    }

    /// The current time as ISO 8601 in UTC, whole seconds.
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
