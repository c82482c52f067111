import Foundation
@testable import Study
import TestSupport
import Testing
import VolumeCore
@testable import VolumeIO

/// Whole-body stations (one file or series per table position) stitched onto one grid by their affines.
@Suite struct StationStitchingTests {
    /// An int16 volume on the oblique, left-handed grid of `sampleVolume`, 12 slices of 3 mm.
    let whole = sampleVolume(.int16, dimensions: Dimensions(7, 5, 12))

    /// Slices `range` of `volume` as a station: the same grid, its origin moved to the first of them.
    func slab(_ volume: Volume, _ range: Range<Int>) -> Volume {
        let n = volume.dimensions.sliceVoxelCount, part = range.lowerBound * n..<range.upperBound * n
        let storage: VoxelStorage = switch volume.storage {
        case .int16(let a): .int16(Array(a[part]))
        case .float32(let a): .float32(Array(a[part]))
        default: fatalError("slab: only int16 and float32 are needed here")
        }
        var affine = volume.affine
        for r in 0..<3 { affine.rows[r][3] += affine.rows[r][2] * Double(range.lowerBound) }
        return Volume(dimensions: Dimensions(volume.dimensions.x, volume.dimensions.y, range.count), spacing: volume.spacing,
                      affine: affine, storage: storage, scaling: volume.scaling)
    }

    /// Writes each station as `name.nii.gz` into `folder/water` and returns the folder and the files' paths.
    func writeStations(_ stations: [(name: String, volume: Volume)], in folder: URL) throws -> (folder: String, files: [String]) {
        let water = folder.appendingPathComponent("water")
        try FileManager.default.createDirectory(at: water, withIntermediateDirectories: true)
        let files = try stations.map { station in
            let path = water.appendingPathComponent("\(station.name).nii.gz").path
            try VolumeFile.save(station.volume, to: path)
            return path
        }
        return (water.path, files)
    }

    // MARK: Stations split from one volume stitch back to it

    @Test(arguments: [StationOverlap.blend, .cut])
    func overlappingAndAdjoiningStationsGiveTheVolumeBack(rule: StationOverlap) throws {
        try withTemporaryFolder { (folder: URL) in
            // Named against their order along the slice axis: the stitcher sorts by position, not name.
            let written = try writeStations([("a_top", slab(whole, 9..<12)), ("b_middle", slab(whole, 3..<9)), ("c_bottom", slab(whole, 0..<5))],
                                            in: folder)
            let loaded = try VolumeFile.load(written.folder, options: LoadOptions(stationOverlap: rule))
            expectSameVolume(loaded.volume, whole)
            #expect(loaded.format == .nifti1)
            let summary = try #require(loaded.warnings.last)
            #expect(summary.contains("stitched 3 stations (c_bottom.nii.gz, b_middle.nii.gz, a_top.nii.gz) into 7×5×12"))
            #expect(summary.contains("c_bottom.nii.gz and b_middle.nii.gz overlap by 2 slices (6 mm), \(rule == .blend ? "blended" : "cut in the middle")"))
            #expect(summary.contains("b_middle.nii.gz and a_top.nii.gz adjoin"))
        }
    }

    @Test func oneNIfTIFileAloneInAFolderIsThatVolume() throws {
        try withTemporaryFolder { (folder: URL) in
            let written = try writeStations([("only", whole)], in: folder)
            let loaded = try VolumeFile.load(written.folder)
            expectSameVolume(loaded.volume, whole)
            #expect(loaded.warnings.isEmpty)
        }
    }

    // MARK: Overlap rules

    /// A float32 station of one value; `base` is where it starts on an axial 2 mm grid.
    func constantStation(_ value: Float, base: Int, slices: Int) -> Station {
        let affine = Affine.diagonal(SIMD3(1, 1, 2), origin: SIMD3(0, 0, 2 * Double(base)))
        let volume = Volume(dimensions: Dimensions(2, 2, slices), spacing: SIMD3(1, 1, 2), affine: affine,
                            storage: .float32([Float](repeating: value, count: 4 * slices)))
        return Station(name: "s\(base)", volume: volume)
    }

    func sliceValues(_ volume: Volume) -> [Float] {
        let values = volume.floatValues()
        return stride(from: 0, to: values.count, by: volume.dimensions.sliceVoxelCount).map { values[$0] }
    }

    @Test func blendingRampsLinearlyAcrossTheOverlapAndCuttingTakesTheMiddle() throws {
        // Slices 0…4 and 2…6: the overlap is slices 2, 3, 4.
        let stations = [constantStation(100, base: 2, slices: 5), constantStation(0, base: 0, slices: 5)]
        let blended = try StationStitching.stitch(stations, overlap: .blend, maxVoxels: 1000, folder: "water")
        #expect(sliceValues(blended.volume) == [0, 0, 25, 50, 75, 100, 100])
        #expect(blended.volume.affine == stations[1].volume.affine, "the lowest station's grid")
        let cut = try StationStitching.stitch(stations, overlap: .cut, maxVoxels: 1000, folder: "water")
        #expect(sliceValues(cut.volume) == [0, 0, 0, 0, 100, 100, 100])
    }

    @Test func blendedIntegersRoundToTheNearest() throws {
        func int16Station(_ value: Int16, base: Int) -> Station {
            var station = constantStation(0, base: base, slices: 3)
            station.volume.storage = .int16([Int16](repeating: value, count: 12))
            return station
        }
        // One overlapping slice, weighted half and half: 7 and 10 blend to 8.5, rounded to 9 (away from zero).
        let stitched = try StationStitching.stitch([int16Station(7, base: 0), int16Station(10, base: 2)], overlap: .blend,
                                                   maxVoxels: 1000, folder: "water")
        #expect(stitched.volume.voxelType == .int16)
        #expect(sliceValues(stitched.volume) == [7, 7, 9, 10, 10])
    }

    @Test func stationsScaledDifferentlyStitchAsPhysicalValues() throws {
        try withTemporaryFolder { (folder: URL) in
            var upper = slab(whole, 6..<12)
            // The upper station stores its values halved, with a slope of 2.
            guard case .int16(let values) = upper.storage else { Issue.record("not int16"); return }
            upper.storage = .int16(values.map { $0 / 2 })
            upper.scaling = IntensityScaling(slope: 2, intercept: 0)
            let written = try writeStations([("lower", slab(whole, 0..<6)), ("upper", upper)], in: folder)
            let loaded = try VolumeFile.load(written.folder)
            #expect(loaded.volume.voxelType == .float32 && loaded.volume.scaling == .identity)
            let expected = whole.floatValues()[..<(6 * 35)] + upper.floatValues()
            #expect(loaded.volume.floatValues() == Array(expected))
            #expect(loaded.warnings.last?.contains("float32 physical values") == true)
        }
    }

    // MARK: Stations that do not fit one grid

    @Test func aGapBetweenStationsIsAnErrorNamingBothAndTheGap() throws {
        try withTemporaryFolder { (folder: URL) in
            let written = try writeStations([("lower", slab(whole, 0..<4)), ("upper", slab(whole, 6..<12))], in: folder)
            let error = try loadingError(written.folder, namingOneOf: written.files)
            #expect(error.problem.contains("a gap of 2 slices (6 mm)"), "\(error)")
            #expect(error.problem.contains("lower.nii.gz") && error.problem.contains("upper.nii.gz"))
        }
    }

    /// Each station's grid broken one way; the error names the odd station and the one it was compared with.
    @Test(arguments: ["orientation", "in-plane spacing", "slice spacing", "fraction of a slice", "in-plane origin", "in-plane size"])
    func stationsOffTheCommonGridAreErrors(broken: String) throws {
        try withTemporaryFolder { (folder: URL) in
            var upper = slab(whole, 6..<12)
            switch broken {
            case "orientation":
                // x and y swapped: the same voxel sizes, another orientation.
                for r in 0..<3 { (upper.affine.rows[r][0], upper.affine.rows[r][1]) = (upper.affine.rows[r][1] * 0.4, upper.affine.rows[r][0] * 2.5) }
            case "in-plane spacing":
                for r in 0..<3 { upper.affine.rows[r][0] *= 1.01 }
            case "slice spacing":
                for r in 0..<3 { upper.affine.rows[r][2] *= 1.01 }
            case "fraction of a slice":
                for r in 0..<3 { upper.affine.rows[r][3] += 0.3 * upper.affine.rows[r][2] }
            case "in-plane origin":
                for r in 0..<3 { upper.affine.rows[r][3] += 0.5 * upper.affine.rows[r][0] }
            default:
                upper = Volume(dimensions: Dimensions(7, 4, 6), spacing: upper.spacing, affine: upper.affine, storage: .int16([Int16](repeating: 1, count: 168)))
            }
            let written = try writeStations([("lower", slab(whole, 0..<6)), ("upper", upper)], in: folder)
            let error = try loadingError(written.folder, namingOneOf: [written.files[1]])
            #expect(error.problem.contains("lower.nii.gz"), "\(error)")
            let expected = ["orientation": "orientation differs", "in-plane spacing": "in-plane voxel size", "slice spacing": "slice spacing",
                            "fraction of a slice": "offset by a fraction of a slice", "in-plane origin": "in-plane origin is offset",
                            "in-plane size": "7×4 voxels"][broken]!
            #expect(error.problem.contains(expected), "\(error)")
        }
    }

    @Test func aStationWithinAnotherAndThreeAtOneSliceAreErrors() throws {
        let repeated = [constantStation(1, base: 0, slices: 6), constantStation(2, base: 2, slices: 3)]
        let within = #expect(throws: IMATError.self) { try StationStitching.stitch(repeated, overlap: .blend, maxVoxels: 1000, folder: "water") }
        #expect(within?.problem.contains("lies within") == true)
        let three = [constantStation(1, base: 0, slices: 4), constantStation(2, base: 2, slices: 4), constantStation(3, base: 3, slices: 4)]
        let triple = #expect(throws: IMATError.self) { try StationStitching.stitch(three, overlap: .blend, maxVoxels: 1000, folder: "water") }
        #expect(triple?.problem.contains("s0, s2 and s3 overlap at one slice") == true)
    }

    @Test func theStitchedGridRespectsTheVoxelLimit() throws {
        let stations = [constantStation(1, base: 0, slices: 4), constantStation(2, base: 4, slices: 4)]
        // 2×2×8 = 32 voxels: each station fits a limit of 20, the stitched grid does not.
        let error = #expect(throws: IMATError.self) { try StationStitching.stitch(stations, overlap: .blend, maxVoxels: 20, folder: "water") }
        #expect(error?.path == "water" && error?.problem.contains("2×2×8 voxels, over the limit of 20") == true)
    }

    // MARK: DICOM series as stations

    /// A series of 8 slices and two stations of it (slices 0…4 and 3…7), with one description.
    func dicomStations() -> (whole: SyntheticSeries, stations: [SyntheticSeries]) {
        var whole = SyntheticSeries()
        whole.slices = 8
        let stations = [(0, "2.25.8101", 21), (3, "2.25.8102", 22)].map { first, uid, number in
            var station = whole
            station.slices = 5
            station.firstSlice = first
            station.uid = uid
            station.number = number
            station.fileNamePrefix = "S\(number)_"
            return station
        }
        return (whole, stations)
    }

    @Test func dicomSeriesOfOneDescriptionAtSeveralTablePositionsAreStitched() throws {
        let (whole, stations) = dicomStations()
        try withTemporaryPath { folder in
            for station in stations { try station.write(to: folder) }
            let loaded = try VolumeFile.load(folder)
            expectSameVolume(loaded.volume, whole.expectedVolume)
            #expect(loaded.format == .dicom)
            #expect(loaded.warnings.last?.contains("stitched 2 stations (series 21 (2.25.8101), series 22 (2.25.8102))") == true)
            // Chosen by number, the same two; one of them alone is that station.
            expectSameVolume(try VolumeFile.load(folder, options: LoadOptions(series: ["22", "21"])).volume, whole.expectedVolume)
            expectSameVolume(try VolumeFile.load(folder, options: LoadOptions(series: ["22"])).volume, stations[1].expectedVolume)
        }
    }

    @Test func aRepeatedSeriesOfOneDescriptionIsNoStationAndListsTheSeries() throws {
        let first = SyntheticSeries()
        var repeated = SyntheticSeries()
        repeated.uid = "2.25.8199"
        repeated.number = 8
        repeated.fileNamePrefix = "R"
        try withTemporaryPath { folder in
            try first.write(to: folder)
            try repeated.write(to: folder)
            let error = try loadingError(folder)
            #expect(error.problem.contains("not stations of one acquisition") && error.problem.contains("--series"), "\(error)")
            #expect(error.problem.contains(first.uid) && error.problem.contains(repeated.uid))
        }
    }

    @Test func dixonStationsInAParticipantsDICOMFolderAreOneRoleEach() throws {
        let (whole, stations) = dicomStations()
        try withTemporaryPath { folder in
            let dicom = folder + "/P0001/dicom"
            var expected: [String: Volume] = [:]
            for (k, suffix) in ["W", "F"].enumerated() {
                var full = whole
                full.description = "t1_vibe_dixon_tra_\(suffix)"
                full.rescale = IntensityScaling(slope: 1, intercept: Double(100 * k))
                expected[suffix] = full.expectedVolume
                for (s, var station) in stations.enumerated() {
                    station.description = full.description
                    station.rescale = full.rescale
                    station.uid = "2.25.82\(k)\(s)"
                    station.number = 30 + 2 * k + s
                    station.fileNamePrefix = "\(suffix)\(s)_"
                    try station.write(to: dicom)
                }
            }
            let participant = try ParticipantFolder(folder + "/P0001")
            #expect(participant.series[.water] == ["2.25.8200", "2.25.8201"] && participant.series[.fat] == ["2.25.8210", "2.25.8211"])
            for (role, suffix) in [(ParticipantFolder.Role.water, "W"), (.fat, "F")] {
                let loaded = try VolumeFile.load(participant.roles[role]!, options: LoadOptions(series: participant.series[role]!))
                expectSameVolume(loaded.volume, expected[suffix]!)
            }
        }
    }
}
