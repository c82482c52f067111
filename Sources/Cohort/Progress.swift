import Foundation

/// Batch progress on stderr: a live bar on a terminal, plain timestamped lines in cluster logs.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let interactive: Bool
    private let start = Date()
    private let lock = NSLock()
    private var done = 0
    private var failed = 0
    private var skipped = 0

    init(total: Int, skipped: Int, interactive: Bool = isatty(STDERR_FILENO) != 0) {
        self.total = total
        self.skipped = skipped
        self.done = skipped
        self.interactive = interactive
    }

    func starting(participants: Int, shard: String, jobs: Int) {
        emit("batch: \(participants) to analyse, \(skipped) up to date (shard \(shard), \(jobs) at once)", final: true)
    }

    func finished(_ participant: String, error: String?) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        if error != nil { failed += 1 }
        let elapsed = Date().timeIntervalSince(start)
        let computed = done - skipped
        let rate = elapsed > 0 ? Double(computed) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        if interactive {
            let width = 30, filled = total > 0 ? done * width / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            emit("[\(bar)] \(done)/\(total)  \(String(format: "%.2f", rate))/s  ETA \(clock(remaining))  \(failed) failed", final: done == total)
        } else {
            let status = error.map { "FAILED: \($0)" } ?? "done"
            emit("\(timestamp()) \(participant) \(status) (\(done)/\(total), \(failed) failed, \(String(format: "%.2f", rate))/s, ETA \(clock(remaining)))", final: true)
        }
    }

    private func emit(_ line: String, final: Bool) {
        let text = interactive ? "\r\u{1B}[K" + line + (final ? "\n" : "") : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date())
    }

    private func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}
