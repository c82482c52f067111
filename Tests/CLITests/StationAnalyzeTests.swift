import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// `imat analyze` on a participant whose images and mask are given as stations (a folder of NIfTI files per role).
@Suite struct StationAnalyzeTests {
    /// Slices `range` of `volume`, its origin moved to the first of them.
    func slab(_ volume: Volume, _ range: Range<Int>, blanking blanked: Int? = nil) -> Volume {
        let n = volume.dimensions.sliceVoxelCount
        func part<T: Numeric>(_ values: [T]) -> [T] {
            var out = Array(values[range.lowerBound * n..<range.upperBound * n])
            if let blanked { for v in (blanked - range.lowerBound) * n..<(blanked - range.lowerBound + 1) * n { out[v] = 0 } }
            return out
        }
        let storage: VoxelStorage = switch volume.storage {
        case .uint8(let a): .uint8(part(a))
        case .uint16(let a): .uint16(part(a))
        case .int16(let a): .int16(part(a))
        case .float32(let a): .float32(part(a))
        default: fatalError("slab: the phantom writes uint8, uint16, int16 or float32")
        }
        var affine = volume.affine
        for r in 0..<3 { affine.rows[r][3] += affine.rows[r][2] * Double(range.lowerBound) }
        return Volume(dimensions: Dimensions(volume.dimensions.x, volume.dimensions.y, range.count), spacing: volume.spacing,
                      affine: affine, storage: storage, scaling: volume.scaling)
    }

    func metrics(_ path: String) throws -> [String: NSObject] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: NSObject]
        return try #require(json)
    }

    @Test func stationsSplitFromTheImagesMeasureAsTheImagesDo() throws {
        let tmp = try TemporaryFolder()
        let made = try IMATProcess.run(["phantom", "--out", tmp.file("whole"), "--participants", "1", "--seed", "3",
                                        "--shape", "64", "56", "12", "--spacing", "3", "3", "6", "--format", "nifti"])
        #expect(made.status == 0, "\(made.stderr)")
        let whole = tmp.file("whole/P0001"), split = tmp.file("stations/P0001")
        try FileManager.default.createDirectory(atPath: split, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: whole + "/scan.json", toPath: split + "/scan.json")
        for role in ["t1", "water", "fat", "mask"] {
            let volume = try VolumeFile.load("\(whole)/\(role).nii.gz").volume
            try FileManager.default.createDirectory(atPath: "\(split)/\(role)", withIntermediateDirectories: true)
            // Slices 4, 5, 6 overlap. The upper mask station loses its labels on slice 4, which the cut in the
            // middle of the overlap takes from the lower station: a blended mask would measure otherwise.
            try VolumeFile.save(slab(volume, 0..<7), to: "\(split)/\(role)/station1.nii.gz")
            try VolumeFile.save(slab(volume, 4..<12, blanking: role == "mask" ? 4 : nil), to: "\(split)/\(role)/station2.nii.gz")
        }
        for (input, out) in [(whole, "out-whole"), (split, "out-stations")] {
            let result = try IMATProcess.run(["analyze", input, "--out", tmp.file(out)])
            #expect(result.status == 0, "\(result.stderr)")
            if input == split { #expect(result.stderr.contains("stitched 2 stations"), "\(result.stderr)") }
        }
        let expected = try metrics(tmp.file("out-whole/P0001/metrics.json"))
        let stitched = try metrics(tmp.file("out-stations/P0001/metrics.json"))
        #expect(stitched["muscles"] == expected["muscles"])
        #expect(stitched["total"] == expected["total"])
        let tissue = [tmp.file("out-whole/P0001/tissue.nii.gz"), tmp.file("out-stations/P0001/tissue.nii.gz")].map { try? VolumeFile.load($0).volume }
        #expect(tissue[0] != nil && tissue[0] == tissue[1])
    }
}
