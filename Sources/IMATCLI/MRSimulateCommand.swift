import ArgumentParser
import Foundation
import MendelianRandomization
import VolumeIO

struct MRSimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mr-simulate",
        abstract: "Write simulated GWAS summary statistics for trying and benchmarking `imat mr`.",
        discussion: """
        Writes PAIRS exposure/outcome pairs (exposure_I.tsv, outcome_I.tsv) and pairs.csv, the manifest for \
        `imat mr --pairs`. Each pair has SNPS true instruments (a fifth pleiotropic) among null SNPs, and with \
        --quirks the swapped, reverse-strand, palindromic, ambiguous, incompatible, duplicated and missing rows \
        real files have. The same seed writes the same files.
        """
    )

    @Option(help: "Where the files go.")
    var out: String

    @Option(help: "Exposure–outcome pairs.")
    var pairs: Int = 1

    @Option(help: "True instruments per pair.")
    var snps: Int = 100

    @Option(name: .customLong("null-snps"), help: "SNPs without an effect per pair.")
    var nullSNPs: Int = 50

    @Option(name: .customLong("causal-effect"), help: "The true causal effect of the exposure on the outcome.")
    var causalEffect: Double = 0.3

    @Flag(help: "Add the quirks of real files.")
    var quirks = false

    @Option(help: "The seed; pair I uses seed + I.")
    var seed: UInt64 = 1

    func validate() throws {
        guard pairs >= 1, snps >= 1, nullSNPs >= 0 else { throw ValidationError("--pairs and --snps must be at least 1, --null-snps at least 0") }
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var manifest = "name,exposure,outcome\n"
        for i in 0..<pairs {
            var simulation = MRSimulation(seed: seed &+ UInt64(i))
            simulation.instruments = snps
            simulation.nullSNPs = nullSNPs
            simulation.causalEffect = causalEffect
            simulation.quirks = quirks
            let tables = simulation.tables()
            try AtomicWrite.write(Data(tables.exposure.utf8), to: "\(out)/exposure_\(i).tsv")
            try AtomicWrite.write(Data(tables.outcome.utf8), to: "\(out)/outcome_\(i).tsv")
            manifest += "pair_\(i),exposure_\(i).tsv,outcome_\(i).tsv\n"
        }
        try AtomicWrite.write(Data(manifest.utf8), to: "\(out)/pairs.csv")
        print("written: \(pairs) pairs to \(out) (manifest \(out)/pairs.csv)")
    }
}
