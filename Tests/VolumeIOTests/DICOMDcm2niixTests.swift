import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// Series that dcm2niix (v1.0.20220720) converts as the planned reader must read them. Left out on purpose:
/// MONOCHROME1 (dcm2niix keeps the stored values), signed 8-bit (it reads them as unsigned), signed data with
/// BitsStored < BitsAllocated (it masks without sign-extending), deflate (it refuses the syntax) and multi-frame
/// RLE (it decodes only the first frame right, GDCM's files as well as ours).
enum Dcm2niixCase: String, CaseIterable, Sendable {
    case axialInt16Rescaled, obliqueSagittalImplicit, axialUInt16BigEndian, obliqueRLE, axialUInt8
    case twelveBitsUnsignedWithJunk, rescaleDifferingPerSlice, enhancedOblique, enhancedAxialBigEndian

    typealias Syntax = DICOMTestWriter.Syntax

    var syntax: Syntax {
        switch self {
        case .obliqueSagittalImplicit: .implicitLittle
        case .axialUInt16BigEndian, .enhancedAxialBigEndian: .explicitBig
        case .obliqueRLE: .rle
        default: .explicitLittle
        }
    }

    var isMultiFrame: Bool { self == .enhancedOblique || self == .enhancedAxialBigEndian }

    var series: SyntheticSeries {
        var series = [.obliqueSagittalImplicit, .obliqueRLE, .enhancedOblique].contains(self) ? SyntheticSeries.obliqueSagittal() : SyntheticSeries()
        series.columns = 9
        series.slices = 5
        switch self {
        case .axialInt16Rescaled, .obliqueSagittalImplicit: series.rescale = IntensityScaling(slope: 0.5, intercept: -100)
        case .axialUInt16BigEndian, .obliqueRLE: series.signed = false
        case .axialUInt8:
            series.bitsAllocated = 8
            series.bitsStored = 8
            series.signed = false
        case .twelveBitsUnsignedWithJunk:
            series.bitsStored = 12
            series.signed = false
            series.junkAboveBitsStored = true
        case .rescaleDifferingPerSlice:
            series.sliceRescales = (0..<series.slices).map { IntensityScaling(slope: [0.5, 0.25, 2][$0 % 3], intercept: Double(10 * $0)) }
        case .enhancedOblique, .enhancedAxialBigEndian:
            // dcm2niix spaces the frames of an enhanced object by SliceThickness (or SpacingBetweenSlices), not by
            // their positions: the frames here touch, as a 3-D acquisition's do.
            series.sliceThickness = series.sliceStep
            series.rescale = IntensityScaling(slope: 2, intercept: 1)
        }
        return series
    }
}

/// The reader, and `imat convert`, against dcm2niix: every voxel has the same physical value at the same place in
/// the patient. dcm2niix flips rows and may reorder axes, so the comparison is made in world space.
@Suite struct DICOMDcm2niixTests {
    @Test(arguments: Dcm2niixCase.allCases)
    func generatedSeriesAgreeWithDcm2niix(_ testCase: Dcm2niixCase) throws {
        try withTemporaryFolder { folder in
            let input = folder.appendingPathComponent("dicom").path
            var source = input
            if testCase.isMultiFrame {
                try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
                source = (input as NSString).appendingPathComponent("enhanced.dcm")
                try testCase.series.writeMultiFrame(to: source, syntax: testCase.syntax)
            } else {
                try testCase.series.write(to: input, syntax: testCase.syntax)
            }
            try compareWithDcm2niix(dicomFolder: input, readingFrom: source, in: folder)
        }
    }

    /// Debian's dcm2niix is built without CharLS, so JPEG-LS files are compared with their uncompressed originals only.
    static let fixturesWithGeometry = (try? DICOMReference.load().volumes.filter {
        $0.value.positions != nil && !$0.value.transferSyntax.hasPrefix("1.2.840.10008.1.2.4.8")
    }.keys.sorted()) ?? []

    /// The parameterised test below would run zero cases, and pass, if the fixtures stopped resolving.
    @Test func fixturesArePresent() {
        #expect(Self.fixturesWithGeometry.count == 8)
    }

    @Test(arguments: fixturesWithGeometry)
    func fixturesAgreeWithDcm2niix(name: String) throws {
        try withTemporaryFolder { folder in
            let input = folder.appendingPathComponent("dicom").path
            let fixture = try dicomFixture(name)
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: fixture, isDirectory: &isFolder)
            if isFolder.boolValue {
                try FileManager.default.copyItem(atPath: fixture, toPath: input)
            } else {
                try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: fixture, toPath: (input as NSString).appendingPathComponent(name))
            }
            try compareWithDcm2niix(dicomFolder: input, readingFrom: isFolder.boolValue ? input : (input as NSString).appendingPathComponent(name), in: folder)
        }
    }

    /// dcm2niix on `dicomFolder` (it converts folders) against our reader and `imat convert` on `source`.
    func compareWithDcm2niix(dicomFolder: String, readingFrom source: String, in folder: URL) throws {
        let output = folder.appendingPathComponent("dcm2niix").path
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        // dcm2niix's defaults, Philips' floating-point scaling (-p y) included.
        let dcm2niix = try runTool(URL(fileURLWithPath: "/usr/bin/env"),
                                   ["dcm2niix", "-z", "n", "-b", "n", "-f", "out", "-o", output, dicomFolder])
        #expect(dcm2niix.status == 0, "\(dcm2niix.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output) == ["out.nii"], "\(dcm2niix.output)")
        let theirs = try VolumeFile.load((output as NSString).appendingPathComponent("out.nii")).volume

        expectSamePlacesAndValues(try VolumeFile.load(source).volume, theirs)

        let converted = folder.appendingPathComponent("converted.nii.gz").path
        let imat = try runTool(imatExecutable, ["convert", source, converted])
        #expect(imat.status == 0, "\(imat.output)")
        expectSamePlacesAndValues(try VolumeFile.load(converted).volume, theirs)
    }
}

/// Each voxel of `ours`, taken through our affine and the inverse of theirs, lands within 1e-3 of a voxel index of
/// `theirs` that holds the same physical value (to float32 precision: dcm2niix keeps its scaling in float32).
func expectSamePlacesAndValues(_ ours: Volume, _ theirs: Volume, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(ours.voxelCount == theirs.voxelCount, "\(ours.dimensions) vs \(theirs.dimensions)", sourceLocation: sourceLocation)
    let toTheirs = inverse(of: theirs.affine)
    let (ourValues, theirValues) = (ours.floatValues(), theirs.floatValues())
    let (d, t) = (ours.dimensions, theirs.dimensions)
    var misplaced: [String] = [], different: [String] = []
    for k in 0..<d.z {
        for j in 0..<d.y {
            for i in 0..<d.x {
                let world = ours.affine.apply(Double(i), Double(j), Double(k))
                let index = toTheirs.apply(world.x, world.y, world.z)
                let nearest = index.rounded(.toNearestOrEven)
                let (a, b, c) = (Int(nearest.x), Int(nearest.y), Int(nearest.z))
                guard length(index - nearest) < 1e-3, (0..<t.x).contains(a), (0..<t.y).contains(b), (0..<t.z).contains(c) else {
                    misplaced.append("(\(i), \(j), \(k)) → \(index)")
                    continue
                }
                let (mine, other) = (ourValues[d.index(i, j, k)], theirValues[t.index(a, b, c)])
                if abs(mine - other) > 1e-6 * max(1, abs(mine)) { different.append("(\(i), \(j), \(k)): \(mine) vs \(other)") }
            }
        }
    }
    let (misplacedCount, differentCount) = (misplaced.count, different.count)
    #expect(misplacedCount == 0, "voxels off dcm2niix's grid, first \(misplaced.prefix(3))", sourceLocation: sourceLocation)
    #expect(differentCount == 0, "values differ, first \(different.prefix(3))", sourceLocation: sourceLocation)
}

/// The inverse map of an affine: the 3×3 part inverted by its adjugate over its determinant.
func inverse(of affine: Affine) -> Affine {
    let m = affine.rows
    func cofactor(_ r: Int, _ c: Int) -> Double {
        let (r1, r2, c1, c2) = ((r + 1) % 3, (r + 2) % 3, (c + 1) % 3, (c + 2) % 3)
        return m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]
    }
    let determinant = (0..<3).map { m[0][$0] * cofactor(0, $0) }.reduce(0, +)
    let linear = (0..<3).map { r in (0..<3).map { c in cofactor(c, r) / determinant } }
    return Affine(rows: (0..<3).map { r in
        linear[r] + [-(0..<3).map { linear[r][$0] * m[$0][3] }.reduce(0, +)]
    })
}

/// Runs `executable` with `arguments` and returns its exit status and everything it printed.
func runTool(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// The `imat` built beside the test bundle (the CLI tests depend on it, so `swift test` builds it).
var imatExecutable: URL {
    let bundle = Bundle.main.bundleURL
    return (bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle).appendingPathComponent("imat")
}
