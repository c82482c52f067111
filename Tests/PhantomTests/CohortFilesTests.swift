import Foundation
@testable import Phantom
import Testing
import VolumeCore
import VolumeIO

@Suite struct CohortFilesTests {
    @Test func scanJSONCarriesSpacingLabelsAndParticipant() throws {
        let path = NSTemporaryDirectory() + "imat-phantom-scan-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AtomicWrite.write(ParticipantWriter.scanJSON(Fixtures.clean), to: path)
        let sidecar = try ScanSidecar.read(path)
        #expect(sidecar.spacing == SIMD3(4, 4, 4))
        #expect(sidecar.labelNames == [44: "autochthon_left", 45: "autochthon_right", 46: "iliopsoas_left", 47: "iliopsoas_right"])
        let participant = try #require(sidecar.fields["participant"] as? [String: any Sendable])
        #expect(participant["id"] as? String == Fixtures.traits.id)
        #expect(participant["sex"] as? String == Fixtures.traits.sex.rawValue)
        let phantom = try #require(sidecar.fields["phantom"] as? [String: any Sendable])
        #expect(phantom["participant_index"] as? Double == 2 && phantom["seed"] as? Double == 7)
        #expect(phantom["truth"] == nil && sidecar.fields["truth"] == nil)
    }

    @Test func truthJSONRoundTripsWithSnakeCaseKeys() throws {
        let data = ParticipantWriter.truthJSON(Fixtures.noisy.truth)
        let text = try #require(String(data: data, encoding: .utf8))
        for key in ["\"volume_ml\"", "\"fat_ml\"", "\"fat_fraction_mean\"", "\"imat_fraction_hard\"", "\"voxels\"", "\"label\" : 44"] {
            #expect(text.contains(key), "\(key) missing")
        }
        #expect(try JSONDecoder().decode(GroundTruth.self, from: data) == Fixtures.noisy.truth)
    }

    @Test func settingsRoundTripThroughJSON() throws {
        let data = ParticipantWriter.encode(Fixtures.settings)
        #expect(try JSONDecoder().decode(PhantomSettings.self, from: data) == Fixtures.settings)
    }

    @Test func phenotypesCSVListsEveryParticipant() {
        let cohort = (0..<3).map { ParticipantTraits.draw(seed: 5, index: $0) }
        let lines = PhantomCohort.phenotypesCSV(cohort).split(separator: "\n").map(String.init)
        #expect(lines.first == "participant,chronic_back_pain,age,sex,activity_group,site")
        #expect(lines.count == 4)
        let fields = lines[2].split(separator: ",").map(String.init)
        #expect(fields == [cohort[1].id, cohort[1].chronicBackPain ? "1" : "0", String(cohort[1].age), cohort[1].sex.rawValue,
                           cohort[1].activityGroup.rawValue, cohort[1].site])
    }

    /// Fattier back muscles raise the odds of pain; in a large drawn cohort the painful group is fattier.
    @Test func backPainFollowsMuscleFat() {
        var lean = Fixtures.traits, fatty = Fixtures.traits
        lean.targetFatFraction[.autochthonLeft] = 0.07; lean.targetFatFraction[.autochthonRight] = 0.07
        fatty.targetFatFraction[.autochthonLeft] = 0.12; fatty.targetFatFraction[.autochthonRight] = 0.12
        let odds = { (p: Double) in p / (1 - p) }
        #expect(abs(odds(BackPainModel.probability(fatty)) / odds(BackPainModel.probability(lean)) - Foundation.exp(0.5)) < 1e-12)

        let cohort = (0..<3000).map { ParticipantTraits.draw(seed: 11, index: $0) }
        func meanFat(_ group: [ParticipantTraits]) -> Double {
            mean(group.map { ($0.targetFatFraction[.autochthonLeft]! + $0.targetFatFraction[.autochthonRight]!) / 2 })
        }
        let pain = cohort.filter(\.chronicBackPain), free = cohort.filter { !$0.chronicBackPain }
        #expect(meanFat(pain) > meanFat(free) + 0.005)
        #expect((0.15...0.35).contains(Double(pain.count) / Double(cohort.count)))
    }

    static let writersAvailable: Bool = {
        let path = NSTemporaryDirectory() + "imat-phantom-probe-\(UUID().uuidString).nii.gz"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let probe = Volume(dimensions: Dimensions(1, 1, 1), spacing: SIMD3(1, 1, 1), storage: .uint8([0]))
        return (try? VolumeFile.save(probe, to: path)) != nil
    }()

    /// Needs the NIfTI and PNG writers; enabled by itself once they exist.
    @Test(.enabled(if: writersAvailable)) func participantFolderRoundTrips() throws {
        let root = NSTemporaryDirectory() + "imat-phantom-cohort-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let settings = Fixtures.with(Fixtures.settings) { $0.dimensions = Dimensions(64, 48, 3); $0.format = .mixed }
        let cohort = try PhantomCohort.write(settings: settings, participants: 2, withoutDixon: 1, to: root)
        for traits in cohort {
            let rendered = LumbarPhantom.render(settings, traits)
            let folder = root + "/" + traits.id
            let png = traits.index % 2 == 0
            for role in ["t1", "mask"] + (traits.index == 0 ? ["water", "fat"] : []) {
                let loaded = try VolumeFile.load(folder + "/" + (png ? role : role + ".nii.gz"),
                                                 options: LoadOptions(spacing: settings.spacing))
                let expected = [("t1", rendered.t1), ("mask", rendered.mask), ("water", rendered.water), ("fat", rendered.fat)]
                    .first { $0.0 == role }!.1
                #expect(loaded.volume.storage == expected.storage, "\(folder) \(role)")
                #expect(loaded.volume.sharesGrid(with: expected))
            }
            #expect(!FileManager.default.fileExists(atPath: folder + "/water.nii.gz") || traits.index == 0)
            let truth = try JSONDecoder().decode(GroundTruth.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/truth.json")))
            #expect(truth == rendered.truth)
        }
        #expect(FileManager.default.fileExists(atPath: root + "/phenotypes.csv"))
    }
}
