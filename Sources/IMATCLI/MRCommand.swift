import Analysis
import ArgumentParser
import Foundation
import MendelianRandomization
import VolumeCore
import VolumeIO

struct MRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mr",
        abstract: "Two-sample Mendelian randomization from GWAS summary statistics.",
        discussion: """
        Takes the exposure's SNPs with p < --p-threshold as instruments (the file should be LD-clumped already), \
        harmonises them with the outcome as TwoSampleMR's harmonise_data does (action 2), and estimates the causal \
        effect by IVW (random and fixed effects), MR-Egger, the simple, weighted and penalised weighted median, the \
        simple and weighted mode and maximum likelihood, with heterogeneity, leave-one-out, single-SNP ratios and \
        the Steiger test. Files are tab- or comma-separated, optionally gzip-compressed, with columns found by name \
        (SNP, effect_allele, other_allele, eaf, beta, se, pval, n, or common aliases) or mapped. Writes mr.json, \
        mr.csv and mr.html to --out; with --bidirectional to OUT/exposure_to_outcome and OUT/outcome_to_exposure; \
        with --pairs to OUT/NAME for each pair of the manifest, plus OUT/mr_pairs.csv.
        """
    )

    @Option(help: "The exposure's summary statistics.")
    var exposure: String?

    @Option(help: "The outcome's summary statistics.")
    var outcome: String?

    @Option(help: "A CSV manifest of pairs (columns exposure, outcome, optionally name) instead of --exposure/--outcome.")
    var pairs: String?

    @Option(name: .customLong("exposure-columns"), help: "Column names of the exposure file, e.g. snp=ID,beta=BETA,se=SE,effect_allele=A1.")
    var exposureColumns: String = ""

    @Option(name: .customLong("outcome-columns"), help: "Column names of the outcome file, as --exposure-columns.")
    var outcomeColumns: String = ""

    @Option(name: .customLong("exposure-name"), help: "The exposure's name in the outputs (default: its file name).")
    var exposureName: String?

    @Option(name: .customLong("outcome-name"), help: "The outcome's name in the outputs (default: its file name).")
    var outcomeName: String?

    @Option(name: .customLong("p-threshold"), help: "Exposure SNPs with p below this are instruments.")
    var pThreshold: Double = MRSettings().pThreshold

    @Option(help: "Whose choices where the packages differ: twosamplemr or mendelianrandomization.")
    var convention: String = Convention.twoSampleMR.rawValue

    @Option(help: "Bootstrap replicates for the medians' and modes' SEs.")
    var bootstrap: Int = MRSettings().bootstrapReplicates

    @Option(help: "The bootstrap's seed (the same seed gives the same numbers on any machine and thread count).")
    var seed: UInt64 = MRSettings.defaultSeed

    @Flag(help: "Also the reverse direction: the outcome's instruments on the exposure.")
    var bidirectional = false

    @Option(help: "Where the outputs go.")
    var out: String = "mr"

    func validate() throws {
        guard Convention(rawValue: convention) != nil else { throw ValidationError("--convention takes twosamplemr or mendelianrandomization") }
        guard pThreshold > 0 && pThreshold <= 1 else { throw ValidationError("--p-threshold must lie in (0, 1]") }
        guard bootstrap >= 2 else { throw ValidationError("--bootstrap needs at least 2 replicates") }
        if pairs != nil {
            guard exposure == nil && outcome == nil && !bidirectional else {
                throw ValidationError("--pairs takes the files from its manifest; leave out --exposure, --outcome and --bidirectional")
            }
        } else if exposure == nil || outcome == nil {
            throw ValidationError("give --exposure and --outcome, or --pairs")
        }
    }

    func run() throws {
        var settings = MRSettings()
        settings.convention = Convention(rawValue: convention)!
        settings.bootstrapReplicates = bootstrap
        settings.seed = seed
        settings.pThreshold = pThreshold
        let exposureMapping = try ColumnMapping(parsing: exposureColumns, option: "--exposure-columns")
        let outcomeMapping = try ColumnMapping(parsing: outcomeColumns, option: "--outcome-columns")
        let version = IMATVersion.version

        if let pairs {
            let list = try MRPair.manifest(text: try TextFile.read(pairs), path: pairs)
            let outcomes = Set(list.map(\.outcome))
            let results = try MRBatch.run(list, settings: settings, version: version) { path in
                try SummaryStatistics(text: try TextFile.read(path), path: path, columns: outcomes.contains(path) ? outcomeMapping : exposureMapping)
            }
            // Rendering the pages takes as long as a cheap analysis: in parallel, then written in manifest order.
            let rendered = try Parallel.map(results.count) { i in Result { try results[i].files() } }.map { try $0.get() }
            for (pair, files) in zip(list, rendered) { try write(files, to: out + "/" + pair.name) }
            try AtomicWrite.write(Data(MRBatch.summaryCSV(list, results).utf8), to: out + "/mr_pairs.csv")
            print("\(results.count) pairs analysed; written: \(out)/NAME/{mr.json,mr.csv,mr.html} and \(out)/mr_pairs.csv")
            return
        }

        let exposureFile = try SummaryStatistics(text: try TextFile.read(exposure!), path: exposure!, columns: exposureMapping)
        let outcomeFile = try SummaryStatistics(text: try TextFile.read(outcome!), path: outcome!, columns: outcomeMapping)
        let names = (exposureName ?? MRPair.stem(exposure!), outcomeName ?? MRPair.stem(outcome!))
        let forward = try MRAnalysis.run(exposure: exposureFile, outcome: outcomeFile, settings: settings, version: version, names: names)
        guard bidirectional else {
            try write(forward, to: out)
            print(MRSummary.text(forward), terminator: "")
            print("written: \(out)/mr.json, \(out)/mr.csv, \(out)/mr.html")
            return
        }
        // Both directions are computed before anything is written.
        let reverse = try MRAnalysis.run(exposure: outcomeFile, outcome: exposureFile, settings: settings, version: version, names: (names.1, names.0))
        try write(forward, to: out + "/exposure_to_outcome")
        try write(reverse, to: out + "/outcome_to_exposure")
        print(MRSummary.text(forward) + "\n" + MRSummary.text(reverse), terminator: "")
        print("written: \(out)/exposure_to_outcome/ and \(out)/outcome_to_exposure/ (mr.json, mr.csv, mr.html)")
    }

    private func write(_ result: MRResult, to folder: String) throws { try write(try result.files(), to: folder) }

    private func write(_ files: [(name: String, contents: Data)], to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in files { try AtomicWrite.write(file.contents, to: folder + "/" + file.name) }
    }
}
