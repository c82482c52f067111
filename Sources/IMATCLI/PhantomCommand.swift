import ArgumentParser
import Foundation
import Phantom
import VolumeCore
import VolumeIO

struct PhantomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phantom",
        abstract: "Write digital lumbar MRI phantoms with known muscle fat, for testing and demos.",
        discussion: """
        Each participant gets a folder (P0001, P0002, …) holding t1 (T1-weighted), water and fat (Dixon), \
        mask (TotalSegmentator labels 44–47: autochthon_left/right, iliopsoas_left/right), scan.json and \
        truth.json (the true volumes and fat fractions); phenotypes.csv at the top lists age, sex, activity, \
        site and chronic back pain, which is drawn with higher odds for fattier back muscles. The same seed \
        gives byte-identical output on any machine and thread count.
        """
    )

    @Option(help: "Output folder.")
    var out: String

    @Option(help: "Number of participants.")
    var participants: Int = 4

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(parsing: .upToNextOption, help: "Grid size in voxels (x y z).")
    var shape: [Int] = [192, 160, 48]

    @Option(parsing: .upToNextOption, help: "Voxel size in mm (x y z).")
    var spacing: [Double] = [2, 2, 4]

    @Option(help: "Signal-to-noise ratio of lean muscle (Rician noise, sigma = lean-muscle signal / SNR).")
    var snr: Double = 20

    @Option(help: "Peak-to-peak bias-field amplitude over the body (0.4 means 0.8 to 1.2).")
    var inu: Double = 0.4

    @Option(help: "Volume format: png (slice folders), nifti (.nii.gz), or mixed (alternating, first PNG).")
    var format: PhantomFormat = .nifti

    @Option(help: "How many participants, counted from the last, get no Dixon water and fat images.")
    var withoutDixon: Int = 0

    @Option(help: "How many participants, counted from the first, get a fat–water swap (water and fat exchanged): in turn over the whole volume, over 3 slices and over 7 slices; truth.json lists the slices.")
    var swapped: Int = 0

    @Option(help: "Sub-samples per voxel along each axis, for partial volume.")
    var supersampling: Int = 3

    var settings: PhantomSettings {
        PhantomSettings(dimensions: Dimensions(shape[0], shape[1], shape[2]),
                        spacing: SIMD3(spacing[0], spacing[1], spacing[2]),
                        snr: snr, inu: inu, seed: seed, supersampling: supersampling, format: format)
    }

    func validate() throws {
        guard shape.count == 3 else { throw ValidationError("--shape takes three voxel counts (x y z)") }
        guard spacing.count == 3 else { throw ValidationError("--spacing takes three numbers (x y z, in mm)") }
        guard participants >= 1 && participants <= 9999 else { throw ValidationError("--participants must be 1 to 9999") }
        guard (0...participants).contains(withoutDixon) else {
            throw ValidationError("--without-dixon must be between 0 and the number of participants")
        }
        guard (0...(participants - withoutDixon)).contains(swapped) else {
            throw ValidationError("--swapped must be between 0 and the number of participants with Dixon images")
        }
        if let problem = settings.problem { throw ValidationError(problem) }
    }

    func run() throws {
        let start = Date()
        try PhantomCohort.write(settings: settings, participants: participants, withoutDixon: withoutDixon, swapped: swapped, to: out) { path in
            print("wrote \(path)")
        }
        print(String(format: "%d participants in %.1f s", participants, Date().timeIntervalSince(start)))
    }
}

extension PhantomFormat: ExpressibleByArgument {}
