import Foundation
import TestSupport
import Testing

/// `imat batch`, `imat merge` and `imat slurm` on small phantom cohorts.
@Suite(.serialized) struct BatchTests {
    static func cohort(_ participants: Int, seed: Int = 3) throws -> TemporaryFolder {
        let tmp = try TemporaryFolder()
        let result = try IMATProcess.run(["phantom", "--out", tmp.file("scans"), "--participants", String(participants), "--seed", String(seed),
                                          "--shape", "96", "80", "8", "--spacing", "4", "4", "8", "--format", "nifti", "--supersampling", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        return tmp
    }

    /// Every file under `folder` except the batch's logs, by relative path.
    static func contents(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)!
        while let relative = enumerator.nextObject() as? String {
            var isDir: ObjCBool = false
            let path = (folder as NSString).appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue, !relative.contains("logs/") {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return files
    }

    @Test func resumesSkipsUpToDateAndRedoesChanged() throws {
        let tmp = try Self.cohort(3)
        let first = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("out"), "--jobs", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("3 analysed, 0 up to date, 0 failed"))
        let second = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("out")])
        #expect(second.stdout.contains("0 analysed, 3 up to date, 0 failed"))
        // A changed input or setting makes the result stale.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: tmp.file("scans/P0002/t1.nii.gz"))
        let third = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("out")])
        #expect(third.stdout.contains("1 analysed, 2 up to date, 0 failed"))
        let fourth = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("out"), "--erode", "1"])
        #expect(fourth.stdout.contains("3 analysed, 0 up to date, 0 failed"))
    }

    @Test func failuresAreRecordedAndTheBatchGoesOn() throws {
        let tmp = try Self.cohort(3)
        try FileManager.default.removeItem(atPath: tmp.file("scans/P0002/mask.nii.gz"))
        let result = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("out")])
        #expect(result.status == 3)
        #expect(result.stdout.contains("2 analysed, 0 up to date, 1 failed"))
        let failures = try String(contentsOfFile: tmp.file("out/failures.csv"), encoding: .utf8)
        #expect(failures.hasPrefix("participant,error\nP0002,"))
        #expect(failures.contains("no mask"))
        #expect(!FileManager.default.fileExists(atPath: tmp.file("out/P0002")))
        let merged = try IMATProcess.run(["merge", tmp.file("out")])
        #expect(merged.status == 0)
        let html = try String(contentsOfFile: tmp.file("out/cohort.html"), encoding: .utf8)
        #expect(html.contains("P0002") && html.contains("no mask"))
    }

    @Test func shardsSplitTheSortedCohortAndMergeEqualsOneBatch() throws {
        let tmp = try Self.cohort(5)
        let whole = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("whole")])
        #expect(whole.status == 0)
        _ = try IMATProcess.run(["merge", tmp.file("whole")])
        let a = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("sharded"), "--shard", "0/2"])
        #expect(a.stdout.contains("3 analysed"))
        let b = try IMATProcess.run(["batch", tmp.file("scans"), "--out", tmp.file("sharded")],
                                    environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2"])
        #expect(b.stdout.contains("2 analysed, 0 up to date"))
        _ = try IMATProcess.run(["merge", tmp.file("sharded")])
        let cohort = try String(contentsOfFile: tmp.file("sharded/cohort.csv"), encoding: .utf8)
        #expect(cohort == (try String(contentsOfFile: tmp.file("whole/cohort.csv"), encoding: .utf8)))
        let lines = cohort.split(separator: "\n")
        #expect(lines.first == "participant,muscle,label,volume_ml,lean_ml,fat_ml,undefined_ml,imat_fraction,fat_fraction_mean,signal_fat_fraction_mean,noise_sigma,noise_source,method,source,label_table,analysis_revision,qc,imat_version")
        #expect(lines.count == 1 + 5 * 5)
        #expect(lines.dropFirst().map { $0.split(separator: ",")[0] } == lines.dropFirst().map { $0.split(separator: ",")[0] }.sorted())
    }

    @Test func slurmScriptSubmitsAnArrayAndADependentMerge() throws {
        let result = try IMATProcess.run(["slurm", "/data/scans dir", "--out", "/data/out", "--array-size", "4", "--partition", "short", "--cpus", "3", "--method", "pve"])
        #expect(result.status == 0)
        let script = result.stdout
        #expect(script.hasPrefix("#!/usr/bin/env bash"))
        #expect(script.contains("--array=0-3"))
        #expect(script.contains("--cpus-per-task=3"))
        #expect(script.contains("--partition=short"))
        #expect(script.contains("--dependency=afterany:\"$array_job\""))
        #expect(script.contains("'/data/scans dir'"))
        #expect(script.contains("--method pve"))
        #expect(script.contains("\nexport OPENBLAS_NUM_THREADS=1\n"))
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = ["-n", "-c", script]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "the script must be valid bash")
    }
}
