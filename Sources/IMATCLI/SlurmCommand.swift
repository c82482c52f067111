import ArgumentParser
import Cohort
import Foundation

struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Print a bash script that submits the batch as a SLURM job array and a merge job after it.",
        discussion: "Run the printed script as is (`imat slurm scans --out results --array-size 50 > submit.sh && bash submit.sh`)."
    )

    @Argument(help: "The folder of participant folders.")
    var scansRoot: String

    @Option(help: "The results folder.")
    var out: String = "results"

    @Option(name: .customLong("array-size"), help: "Number of array tasks (shards).")
    var arraySize: Int

    @Option(help: "SLURM partition.")
    var partition: String?

    @Option(help: "Time limit per task (SLURM format).")
    var time: String = "04:00:00"

    @Option(help: "Memory per task (SLURM format).")
    var mem: String = "8G"

    @Option(help: "CPUs per task (also the participants each task analyses at once).")
    var cpus: Int = 2

    @OptionGroup var analysis: AnalysisOptions

    func validate() throws {
        guard arraySize >= 1 else { throw ValidationError("--array-size must be at least 1") }
        guard cpus >= 1 else { throw ValidationError("--cpus must be at least 1") }
    }

    func run() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
        let imat = FileManager.default.isExecutableFile(atPath: executable.path) ? executable.path : (Bundle.main.executablePath ?? "imat")
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        let script = SlurmScript(imatPath: imat, scansRoot: absolute(scansRoot), outputRoot: absolute(out), arraySize: arraySize,
                                 cpusPerTask: cpus, memory: mem, timeLimit: time, partition: partition,
                                 batchArguments: analysis.commandLine)
        print(script.text, terminator: "")
    }
}
