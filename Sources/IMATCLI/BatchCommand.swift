import ArgumentParser
import Cohort
import Foundation
import VolumeCore

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Analyse every participant folder under SCANS_ROOT, several at once; resumable and shardable.",
        discussion: """
        Each sub-folder of SCANS_ROOT is a participant, analysed as `imat analyze` would. A participant whose \
        results exist with an unchanged fingerprint (inputs' sizes and times, settings, imat version) is skipped, \
        so a killed batch is simply started again. Failures go to OUT/failures.csv and the batch goes on.
        Inside a SLURM array job the shard defaults to SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT and --jobs to \
        SLURM_CPUS_PER_TASK.
        Exit status: 0 when every participant succeeded, \(BatchCommand.someFailedStatus) when some failed, \
        1 when the batch could not run at all.
        """
    )

    static let someFailedStatus: Int32 = 3

    @Argument(help: "The folder of participant folders.")
    var scansRoot: String

    @Option(help: "The results folder.")
    var out: String = "results"

    @Option(help: "Participants analysed at once (default: SLURM_CPUS_PER_TASK, else the number of cores).")
    var jobs: Int?

    @Option(help: "I/N: analyse only shard I (0-based) of N, taken from the sorted participant IDs.")
    var shard: String?

    @OptionGroup var analysis: AnalysisOptions

    func validate() throws {
        if let shard, Shard(parsing: shard) == nil { throw ValidationError("--shard takes I/N with 0 ≤ I < N, e.g. 0/4") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let chosenShard = shard.flatMap(Shard.init(parsing:)) ?? Shard.fromSlurm(environment) ?? .whole
        let chosenJobs = jobs ?? environment["SLURM_CPUS_PER_TASK"].flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount
        let runner = BatchRunner(scansRoot: scansRoot, outputRoot: out, settings: analysis.settings, shard: chosenShard,
                                 jobs: chosenJobs, version: IMATVersion.version)
        let summary = try runner.run()
        print("batch: \(summary.analysed) analysed, \(summary.upToDate) up to date, \(summary.failed.count) failed; results in \(out)")
        if !summary.failed.isEmpty {
            printWarning("\(summary.failed.count) participant(s) failed: see \(out)/failures.csv")
            throw ExitCode(Self.someFailedStatus)
        }
    }
}
