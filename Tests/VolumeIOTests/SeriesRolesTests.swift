@testable import Study
import Testing
import VolumeCore
@testable import VolumeIO

/// Telling a participant's DICOM series apart by the words of their descriptions.
@Suite struct SeriesRolesTests {
    func series(_ description: String, number: Int, orientation: [Double] = [1, 0, 0, 0, 1, 0]) -> DICOMSeriesInfo {
        DICOMSeriesInfo(uid: "1.2.\(number)", number: number, description: description, files: 10, slices: 10,
                        orientation: orientation, pixelSpacing: [1.5, 1.5])
    }

    @Test func siemensAndPhilipsDixonNamesFindWaterAndFat() throws {
        let siemens = [series("t1_vibe_dixon_tra_in", number: 3), series("t1_vibe_dixon_tra_opp", number: 4),
                       series("t1_vibe_dixon_tra_F", number: 5), series("t1_vibe_dixon_tra_W", number: 6)]
        let found = try SeriesRoles.dixonDefaults.assign(siemens, folder: "P1/dicom")
        #expect(found[.water]?.map(\.number) == [6] && found[.fat]?.map(\.number) == [5] && found[.t1] == nil)
        let philips = [series("WATER: mDIXON_TSE", number: 701), series("FAT: mDIXON_TSE", number: 702), series("T1_TSE", number: 301)]
        let both = try SeriesRoles.dixonDefaults.assign(philips, folder: "P1/dicom")
        #expect(both[.water]?.map(\.number) == [701] && both[.fat]?.map(\.number) == [702])
    }

    @Test func aWholeWordMatchesNotAPart() throws {
        // "W" must not take "WATER" or "SWAP"; "water" must not take "waterfall".
        let rules = try SeriesRoles(parsing: ["water=W"])
        #expect(try rules.assign([series("WATER", number: 1), series("swap_w2", number: 2)], folder: "d").isEmpty)
        #expect(SeriesRoles.words("t1_vibe-dixon.tra W(2)") == ["t1", "vibe", "dixon", "tra", "w", "2"])
    }

    @Test func oneSeriesAloneIsTheT1Image() throws {
        let found = try SeriesRoles.dixonDefaults.assign([series("t1_tse_tra", number: 2)], folder: "d")
        #expect(found[.t1]?.map(\.number) == [2] && found.count == 1)
    }

    @Test func twoMatchesForOneRoleAreAnErrorNamingBoth() throws {
        let pair = [series("dixon_W", number: 5), series("dixon_W_repeat", number: 9)]
        let error = #expect(throws: IMATError.self) { try SeriesRoles.dixonDefaults.assign(pair, folder: "P1/dicom") }
        #expect(error?.path == "P1/dicom")
        #expect(error?.problem.contains("dixon_W_repeat") == true && error?.problem.contains("\"dixon_W\"") == true)
    }

    /// NAKO and UK Biobank export one series per table position, all with one description: one role, stitched.
    @Test func stationsOfOneAcquisitionMakeOneRole() throws {
        let stations = [series("dixon_W", number: 5), series("dixon_W", number: 6), series("dixon_W", number: 7), series("dixon_F", number: 8)]
        let found = try SeriesRoles.dixonDefaults.assign(stations, folder: "P1/dicom")
        #expect(found[.water]?.map(\.number) == [5, 6, 7] && found[.fat]?.map(\.number) == [8])
        // A coronal series of the same name is no station of an axial acquisition.
        let mixed = [series("dixon_W", number: 5), series("dixon_W", number: 6, orientation: [1, 0, 0, 0, 0, -1])]
        #expect(throws: IMATError.self) { try SeriesRoles.dixonDefaults.assign(mixed, folder: "P1/dicom") }
    }

    @Test func rulesFromTheCommandLineAndFromScanJSON() throws {
        let parsed = try SeriesRoles(parsing: ["water=DIXON_W", "fat=fatonly", "fat=F", "T1=t1_tse"])
        #expect(parsed.patterns[.water] == ["DIXON_W"] && parsed.patterns[.fat] == ["fatonly", "F"] && parsed.patterns[.t1] == ["t1_tse"])
        for bad in ["water", "mask=x", "bone=B", "water=__"] {
            #expect(throws: IMATError.self, "\(bad)") { try SeriesRoles(parsing: [bad]) }
        }
        let sidecar = ScanSidecar(fields: ["series_roles": ["water": "W", "fat": ["F", "fat"]] as [String: any Sendable]])
        let fromJSON = try #require(try SeriesRoles(sidecar: sidecar, path: "scan.json"))
        #expect(fromJSON.patterns[.water] == ["W"] && fromJSON.patterns[.fat] == ["F", "fat"])
        #expect(try SeriesRoles(sidecar: ScanSidecar(), path: "scan.json") == nil)
        let wrong = ScanSidecar(fields: ["series_roles": ["bone": "B"] as [String: any Sendable]])
        #expect(throws: IMATError.self) { try SeriesRoles(sidecar: wrong, path: "scan.json") }
    }
}
