import Analysis
import Dispatch
import Foundation
import Reporting
import VolumeCore
import VolumeIO

/// `imat batch`: every participant folder under a scans root analysed as `imat analyze` would, several
/// at once, resumable (results whose fingerprint matches are kept), failures recorded and skipped past.
public struct BatchRunner: Sendable {
    public var scansRoot: String
    public var outputRoot: String
    public var settings: AnalysisSettings
    public var shard: Shard
    public var jobs: Int
    public var version: String

    public init(scansRoot: String, outputRoot: String, settings: AnalysisSettings, shard: Shard, jobs: Int, version: String) {
        self.scansRoot = scansRoot
        self.outputRoot = outputRoot
        self.settings = settings
        self.shard = shard
        self.jobs = max(1, jobs)
        self.version = version
    }

    public struct Summary: Sendable {
        public var analysed = 0
        public var upToDate = 0
        public var failed: [String] = []
    }

    /// The participant IDs under `scansRoot`: its sub-folders, sorted; hidden ones are ignored.
    public static func participants(in scansRoot: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: scansRoot, isDirectory: &isDir) else { throw IMATError(scansRoot, "no such folder") }
        guard isDir.boolValue else { throw IMATError(scansRoot, "not a folder of participant folders") }
        let names = try FileManager.default.contentsOfDirectory(atPath: scansRoot)
        return names.filter { name in
            var isDir: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: (scansRoot as NSString).appendingPathComponent(name), isDirectory: &isDir) && isDir.boolValue
        }.sorted()
    }

    public func run() throws -> Summary {
        let root = URL(fileURLWithPath: scansRoot).standardizedFileURL.resolvingSymlinksInPath().path
        let ids = shard.select(try Self.participants(in: scansRoot))
        do { try FileManager.default.createDirectory(atPath: outputRoot, withIntermediateDirectories: true) } catch {
            throw IMATError(outputRoot, "cannot create the results folder (\(error.localizedDescription))")
        }
        let failures = FailureLog(outputRoot: outputRoot)
        var summary = Summary()
        var pending: [(id: String, folder: String, fingerprint: Fingerprint?)] = []
        for id in ids {
            removeStaleTemporaries(of: id)
            let folder = (scansRoot as NSString).appendingPathComponent(id)
            let fingerprint = try? Fingerprint(participantFolder: folder, settings: settings, version: version)
            let result = (outputRoot as NSString).appendingPathComponent(id)
            if let fingerprint, Fingerprint.stored(in: result) == fingerprint,
               ParticipantOutput.fileNames.allSatisfy({ FileManager.default.fileExists(atPath: (result as NSString).appendingPathComponent($0)) }) {
                summary.upToDate += 1
                failures.clear(id)
            } else {
                pending.append((id, folder, fingerprint))
            }
        }

        let progress = Progress(total: ids.count, skipped: summary.upToDate)
        progress.starting(participants: pending.count, shard: shard.description, jobs: min(jobs, max(pending.count, 1)))
        let lanes = min(jobs, max(pending.count, 1))
        let workersPerParticipant = max(1, Parallel.defaultWorkers / lanes)
        let queue = pending
        let state = BatchState()
        let memory = MemoryBudget(bytes: MemoryBudget.available() * 7 / 10)
        DispatchQueue.concurrentPerform(iterations: lanes) { _ in
            while let item = state.take(from: queue.count) {
                let (id, folder, fingerprint) = queue[item]
                let reservation = memory.reserve(MemoryBudget.estimate(forParticipantAt: folder))
                defer { memory.release(reservation) }
                var errorText: String?
                do {
                    try checkInside(root: root, folder: folder)
                    let analysis = try ParticipantAnalyzer.analyze(folder, settings: settings, workers: workersPerParticipant)
                    try ParticipantOutput.write(analysis, into: outputRoot, extraFiles: fingerprint.map { [Fingerprint.fileName: $0.fileData] } ?? [:],
                                                workers: workersPerParticipant)
                    failures.clear(id)
                } catch let error as IMATError where error.isOutputStorageExhausted {
                    // Not this participant's fault, and every later one would fail the same way: stop, record nothing.
                    state.stop(because: error)
                    continue
                } catch {
                    errorText = String(describing: error)
                    try? FileManager.default.removeItem(atPath: (outputRoot as NSString).appendingPathComponent(id))
                    try? failures.record(id, error: errorText!)
                }
                state.finish(id, failed: errorText != nil)
                progress.finished(id, error: errorText)
            }
        }
        summary.analysed = state.analysed
        summary.failed = state.failed.sorted()
        if let full = state.storageFailure {
            try? failures.writeCSV()
            throw IMATError(outputRoot, "the results folder's storage is full or read-only (\(full)); the batch stopped after "
                                + "\(summary.analysed) analysed. Every result written is complete; free space and run the same command to resume")
        }
        try failures.writeCSV()
        return summary
    }

    /// A participant folder must lie inside the scans root, also after following symbolic links.
    private func checkInside(root: String, folder: String) throws {
        let resolved = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        guard resolved.hasPrefix(root + "/") else {
            throw IMATError(folder, "links outside the scans folder (\(resolved)); refused")
        }
    }

    /// Temporary folders a killed run left behind for this participant (`.ID.tmp-…`).
    private func removeStaleTemporaries(of id: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputRoot)) ?? []
        for name in names where name.hasPrefix(".\(id).tmp-") {
            try? FileManager.default.removeItem(atPath: (outputRoot as NSString).appendingPathComponent(name))
        }
    }
}

/// The work queue and tallies shared by the batch's lanes.
private final class BatchState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var analysed = 0
    private(set) var failed: [String] = []
    private(set) var storageFailure: IMATError?

    func take(from count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count, storageFailure == nil else { return nil }
        next += 1
        return next - 1
    }

    func stop(because error: IMATError) {
        lock.lock()
        defer { lock.unlock() }
        if storageFailure == nil { storageFailure = error }
    }

    func finish(_ id: String, failed didFail: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if didFail { failed.append(id) } else { analysed += 1 }
    }
}

/// Keeps the participants analysed at once within the machine's memory: each reserves an estimate of
/// what it needs before it starts and waits while the others' reservations leave too little.
final class MemoryBudget: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var reserved = 0

    init(bytes: Int) { capacity = max(bytes, 1) }

    /// Blocks until `bytes` fit (a participant larger than the whole budget runs alone); returns the reservation.
    func reserve(_ bytes: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while reserved > 0 && reserved + bytes > capacity { condition.wait() }
        reserved += bytes
        return bytes
    }

    func release(_ bytes: Int) {
        condition.lock()
        reserved -= bytes
        condition.broadcast()
        condition.unlock()
    }

    /// MemAvailable from /proc/meminfo (Linux), else the physical memory.
    static func available() -> Int {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kb = Int(line.split(separator: " ").dropFirst().first ?? "") {
            return kb * 1024
        }
        return Int(ProcessInfo.processInfo.physicalMemory)
    }

    /// About what analysing a participant needs: its input files decompressed (gzip shrinks noisy images
    /// about twofold) and held as Float32 alongside a few working maps, roughly 16× the bytes on disk.
    static func estimate(forParticipantAt folder: String) -> Int {
        let bytes = ((try? regularFiles(under: folder)) ?? []).reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0)
        }
        return max(64 << 20, bytes * 16)
    }
}
