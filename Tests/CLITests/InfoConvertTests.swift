import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

@Suite struct InfoConvertTests {
    static func sampleVolume() -> Volume {
        let dims = Dimensions(5, 4, 3)
        let values = (0..<dims.voxelCount).map { UInt16(($0 * 37) % 4000) }
        let affine = Affine(rows: [[-0.8, 0, 0, 40], [0, -0.9, 0, 30], [0, 0, 3, -12]])
        return Volume(dimensions: dims, spacing: SIMD3(0.8, 0.9, 3), affine: affine, storage: .uint16(values))
    }

    @Test func infoPrintsTheHeaderFacts() throws {
        let tmp = try TemporaryFolder()
        let path = tmp.file("t1.nii.gz")
        try VolumeFile.save(Self.sampleVolume(), to: path)
        let result = try IMATProcess.run(["info", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("5×4×3"))
        #expect(result.stdout.contains("uint16"))
        #expect(result.stdout.contains("LPS"))
        #expect(result.stdout.contains("0.8 × 0.9 × 3 mm"))
        let values = Self.sampleVolume().floatValues()
        #expect(result.stdout.contains("0 … \(Int(values.max()!))"))
    }

    @Test(arguments: ["out.nii", "out.nii.gz", "slices"])
    func convertKeepsValuesAndGrid(target: String) throws {
        let tmp = try TemporaryFolder()
        let source = tmp.file("in.nii.gz")
        let volume = Self.sampleVolume()
        try VolumeFile.save(volume, to: source)
        let result = try IMATProcess.run(["convert", source, tmp.file(target)])
        #expect(result.status == 0, "\(result.stderr)")
        let back = try VolumeFile.load(tmp.file(target)).volume
        #expect(back.storage == volume.storage)
        #expect(back.dimensions == volume.dimensions)
        // NIfTI keeps pixdim in float32.
        let difference = back.spacing - volume.spacing
        #expect(max(abs(difference.x), abs(difference.y), abs(difference.z)) < 1e-6)
        if target != "slices" { #expect(back.affine.isClose(to: volume.affine, tolerance: 1e-5)) }
    }

    @Test func convertWritesScaledValuesAsFloat32() throws {
        let tmp = try TemporaryFolder()
        var volume = Self.sampleVolume()
        volume.scaling = IntensityScaling(slope: 0.5, intercept: -3)
        try VolumeFile.save(volume, to: tmp.file("scaled.nii"))
        let result = try IMATProcess.run(["convert", tmp.file("scaled.nii"), tmp.file("out.nii")])
        #expect(result.status == 0, "\(result.stderr)")
        let back = try VolumeFile.load(tmp.file("out.nii")).volume
        #expect(back.storage == .float32(volume.floatValues()))
        #expect(back.scaling.isIdentity)
    }

    @Test func missingInputIsOneClearLineAndNoOutput() throws {
        let tmp = try TemporaryFolder()
        let missing = tmp.file("nothing.nii.gz")
        let result = try IMATProcess.run(["convert", missing, tmp.file("out.nii.gz")])
        #expect(result.status != 0 && result.status < 126)
        #expect(!result.crashed)
        #expect(result.stderr.contains(missing))
        #expect(result.stderr.contains("no such file"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty)
    }

    @Test func unknownFormatNamesTheFile() throws {
        let tmp = try TemporaryFolder()
        let path = tmp.file("scan.mha")
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        let result = try IMATProcess.run(["info", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(path): unknown format"))
    }
}
