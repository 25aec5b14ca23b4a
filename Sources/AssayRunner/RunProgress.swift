import Foundation

/// Progress on standard error: one rewritten line on a terminal (cells done, failing, cost, ETA),
/// plain lines every few seconds in CI or a pipe.
final class RunProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let interactive: Bool
    private let quiet: Bool
    private var done = 0, failing = 0
    private var cost = 0.0
    private let started = DispatchTime.now().uptimeNanoseconds
    private var lastPrint: UInt64 = 0

    init(total: Int, alreadyDone: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet
        done = alreadyDone
        interactive = isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    }

    func cell(failed: Bool, cost: Double) {
        lock.withLock {
            done += 1
            if failed { failing += 1 }
            self.cost += cost
            let now = DispatchTime.now().uptimeNanoseconds
            guard !quiet, interactive || now - lastPrint > 5_000_000_000 || done == total else { return }
            lastPrint = now
            let line = text(now)
            FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + line : line + "\n").utf8))
        }
    }

    func end() {
        lock.withLock { if interactive && !quiet { FileHandle.standardError.write(Data("\n".utf8)) } }
    }

    private func text(_ now: UInt64) -> String {
        let seconds = Double(now - started) / 1e9
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        return String(format: "cells %d/%d  failing %d  cost $%.4f  %.0f cells/s  ETA %.0fs", done, total, failing, cost, rate, eta)
    }
}
