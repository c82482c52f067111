import Analysis
import ArgumentParser
import VolumeCore

/// The `imat` command: measures intermuscular fat in back muscles on MRI, one participant or whole cohorts.
public struct IMATCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "imat",
        abstract: "Measure fat inside the back muscles on MRI and relate it to chronic back pain.",
        version: "\(IMATVersion.version) (source revision \(IMATVersion.sourceRevision))",
        subcommands: [InfoCommand.self, ConvertCommand.self, PhantomCommand.self, AnalyzeCommand.self, BatchCommand.self, MergeCommand.self, SlurmCommand.self, AssociateCommand.self, MRCommand.self, MRSimulateCommand.self]
    )

    public init() {}
}
