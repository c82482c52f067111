import Foundation
import Testing

/// `imat batch` under faults: killed at any moment, a full disk, two shards writing one results folder at once.
/// Each ends with results identical, file for file, to an undisturbed run.
@Suite(.serialized) struct BatchFaultTests {
    /// The results a batch must match, without the batch's own bookkeeping under `.imat/`.
    static func results(_ folder: String) throws -> [String: Data] {
        try BatchTests.contents(folder).filter { !$0.key.hasPrefix(".imat") }
    }

    static func expectIdentical(_ folder: String, to expected: [String: Data], _ situation: String) throws {
        let files = try results(folder)
        #expect(files.keys.sorted() == expected.keys.sorted(), "files differ \(situation)")
        for (name, data) in files { #expect(data == expected[name], "\(name) differs \(situation)") }
    }

    /// No half-written participant: every participant folder holds all its files, and no temporary is left.
    static func expectOnlyCompleteResults(_ folder: String, _ situation: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix("P") {
            for file in ["metrics.json", "metrics.csv", "tissue.nii.gz", "fat_fraction.nii.gz", "report.html", "fingerprint.txt"] {
                #expect(FileManager.default.fileExists(atPath: "\(folder)/\(name)/\(file)"), "\(name)/\(file) missing \(situation)")
            }
        }
    }

    /// Twenty kill -9 moments spread evenly over (and a little past) a clean run's duration by the golden-ratio
    /// sequence, so they land in every phase: start-up, analysis, the atomic renames, the failure log.
    @Test func killedAtTwentyMomentsAndResumedEndsIdenticalToACleanRun() throws {
        let tmp = try BatchTests.cohort(3)
        let started = Date()
        let clean = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("clean"), "--jobs", "2"])
        let duration = Date().timeIntervalSince(started)
        #expect(clean.status == 0, "\(clean.stderr)")
        let expected = try Self.results(tmp.file("clean"))
        for round in 0..<20 {
            let moment = (0.5 + Double(round) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1) * duration * 1.1
            let out = tmp.file("killed\(round)")
            let run = try IMATProcess.start(["batch", tmp.file("scans"), "--out", out, "--jobs", "2"], logs: tmp)
            Thread.sleep(forTimeInterval: moment)
            run.kill()
            let situation = String(format: "after a kill at %.2f s of %.2f s", moment, duration)
            Self.expectOnlyCompleteResults(out, situation)
            let resumed = try IMATProcess.run(["batch", tmp.file("scans"), "--out", out, "--jobs", "2"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            try Self.expectIdentical(out, to: expected, situation)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).allSatisfy { !$0.contains(".tmp-") },
                    "temporaries left \(situation)")
        }
    }

    /// A 200 KiB tmpfs holds two participants' results: the batch stops with one message naming the folder and
    /// the full disk, records no participant as failed, leaves only complete results, and resumes once there is room.
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aFullDiskStopsTheBatchWithAClearErrorAndNothingCorrupt() throws {
        let tmp = try BatchTests.cohort(4)
        let clean = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("clean")])
        #expect(clean.status == 0, "\(clean.stderr)")
        let disk = tmp.file("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try Self.mount(["-t", "tmpfs", "-o", "size=200k", "tmpfs", disk])
        defer { try? Self.mount([disk], command: "/bin/umount") }
        let out = disk + "/out"

        let full = try IMATProcess.run(["batch", tmp.file("scans"), "--out", out])
        #expect(full.status == 1)
        #expect(!full.crashed)
        let errorLines = full.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errorLines.count == 1)
        #expect(errorLines.first?.contains(out) == true && errorLines.first?.contains("No space left on device") == true, "\(full.stderr)")
        Self.expectOnlyCompleteResults(out, "on a full disk")
        let written = try Self.results(out)
        #expect(written.keys.contains { $0.hasPrefix("P") }, "some participants fit before the disk filled")
        for (name, data) in written where name.hasPrefix("P") { #expect(data == (try Self.results(tmp.file("clean")))[name], "\(name) differs") }
        #expect(!written.keys.contains { $0.contains(".tmp-") })
        #expect((try? String(contentsOfFile: out + "/failures.csv", encoding: .utf8)) ?? "participant,error\n" == "participant,error\n",
                "a full disk is not the participants' fault")

        try Self.mount(["-o", "remount,size=8m", disk])
        let resumed = try IMATProcess.run(["batch", tmp.file("scans"), "--out", out])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try Self.expectIdentical(out, to: try Self.results(tmp.file("clean")), "after resuming with room")
    }

    /// Two array tasks of one job writing the same results folder at the same time, then merged.
    @Test func twoShardsAtOnceOnOneFolderMergeToTheSingleBatch() throws {
        let tmp = try BatchTests.cohort(5)
        let whole = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("whole")])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(try IMATProcess.run(["merge", tmp.file("whole")]).status == 0)
        let out = tmp.file("shared")
        let shards = try (0..<2).map { try IMATProcess.start(["batch", tmp.file("scans"), "--out", out, "--shard", "\($0)/2"], logs: tmp) }
        for shard in shards {
            let result = shard.wait()
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try IMATProcess.run(["merge", out]).status == 0)
        try Self.expectIdentical(out, to: try Self.results(tmp.file("whole")), "after two shards at once")
    }

    private static func mount(_ arguments: [String], command: String = "/bin/mount") throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw VolumeMountError(arguments: arguments) }
    }

    struct VolumeMountError: Error { var arguments: [String] }
}
