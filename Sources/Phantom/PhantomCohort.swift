import Foundation
import VolumeCore
import VolumeIO

/// A cohort of phantom participants on disk: one folder per participant and `phenotypes.csv` at the root.
public enum PhantomCohort {
    public static let phenotypesFileName = "phenotypes.csv"

    /// Renders and writes participants P0001… one after another (each render uses `workers` threads),
    /// the first `swapped` of them with a fat–water swap (`FatWaterSwapSimulation`), the last `withoutDixon` of
    /// them without water and fat images, then writes `phenotypes.csv`.
    /// `progress` hears each folder as it is written. Returns the participants' traits.
    @discardableResult
    public static func write(settings: PhantomSettings, participants: Int, withoutDixon: Int = 0, swapped: Int = 0, to root: String,
                             workers: Int = Parallel.defaultWorkers,
                             progress: (String) -> Void = { _ in }) throws -> [ParticipantTraits] {
        precondition(participants >= 1 && (0...participants).contains(withoutDixon), "bad cohort size")
        var cohort: [ParticipantTraits] = []
        for index in 0..<participants {
            let traits = ParticipantTraits.draw(seed: settings.seed, index: index)
            var rendered = LumbarPhantom.render(settings, traits, workers: workers)
            if index < swapped { FatWaterSwapSimulation.apply(to: &rendered, swapIndex: index) }
            let folder = try ParticipantWriter.write(rendered, into: root, includeDixon: index < participants - withoutDixon)
            progress(folder)
            cohort.append(traits)
        }
        let csv = URL(fileURLWithPath: root).appendingPathComponent(phenotypesFileName).path
        try AtomicWrite.write(Data(phenotypesCSV(cohort).utf8), to: csv)
        progress(csv)
        return cohort
    }

    /// participant,chronic_back_pain,age,sex,activity_group,site — pain as 1/0, drawn by `BackPainModel`.
    public static func phenotypesCSV(_ cohort: [ParticipantTraits]) -> String {
        var lines = ["participant,chronic_back_pain,age,sex,activity_group,site"]
        for t in cohort {
            lines.append("\(t.id),\(t.chronicBackPain ? 1 : 0),\(t.age),\(t.sex.rawValue),\(t.activityGroup.rawValue),\(t.site)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
