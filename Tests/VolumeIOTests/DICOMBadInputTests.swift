import Foundation
import TestSupport
import Testing
import VolumeCore
import VolumeIO

/// Damaged and odd DICOM: every problem is one IMATError naming the file, never a crash or a huge allocation;
/// oddities the standard allows (or that are harmless) are read through.
@Suite struct DICOMBadInputTests {
    typealias Syntax = DICOMTestWriter.Syntax
    typealias Quirks = DICOMTestWriter.Quirks

    static func slice(_ syntax: Syntax = .explicitLittle, _ quirks: Quirks = Quirks()) -> [UInt8] {
        DICOMTestWriter.file(SyntheticSeries().image(0, instanceNumber: 1), syntax: syntax, quirks: quirks)
    }

    /// Cuts inside the preamble, at and just after "DICM", in the file meta group, in the data set's elements,
    /// and inside the pixel data (or the deflate stream, or the RLE fragment, before its sequence delimiter).
    @Test(arguments: [Syntax.explicitLittle, .implicitLittle, .explicitBig, .deflated, .rle])
    func truncatedFilesAreRefused(syntax: Syntax) throws {
        let size = Self.slice(syntax).count
        try withTemporaryFolder { folder in
            for cut in [0, 64, 132, 140, 200, 320, size / 2, size - 64, size - 12] {
                var quirks = Quirks()
                quirks.truncatedTo = cut
                try loadingError(try writeFile(Self.slice(syntax, quirks), in: folder, named: "cut\(cut).dcm"))
            }
        }
    }

    @Test func aTruncatedSliceInASeriesIsNamed() throws {
        try withTemporaryFolder { folder in
            let paths = try SyntheticSeries().write(to: folder.path)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: paths[2]))
            try bytes.prefix(bytes.count - 40).write(to: URL(fileURLWithPath: paths[2]))
            try loadingError(folder.path, namingOneOf: [paths[2]])
        }
    }

    @Test(arguments: [Syntax.explicitLittle, .implicitLittle, .rle])
    func missingPixelDataIsRefused(syntax: Syntax) throws {
        var quirks = Quirks()
        quirks.omitPixelData = true
        try withTemporaryFolder { folder in
            _ = try loadingError(try writeFile(Self.slice(syntax, quirks), in: folder, named: "nopixels.dcm"))
        }
    }

    @Test(arguments: [2, 30])
    func shortPixelDataIsRefused(missingBytes: Int) throws {
        var quirks = Quirks()
        quirks.pixelDataShortBy = missingBytes
        try withTemporaryFolder { folder in
            _ = try loadingError(try writeFile(Self.slice(.explicitLittle, quirks), in: folder, named: "short.dcm"))
        }
    }

    @Test(arguments: [Syntax.explicitLittle, .implicitLittle, .explicitBig, .deflated, .rle])
    func nestedUndefinedLengthSequencesAreSkipped(syntax: Syntax) throws {
        var quirks = Quirks()
        quirks.nestedUndefinedLengthSequence = true
        let series = SyntheticSeries()
        try withTemporaryFolder { folder in
            try series.write(to: folder.path, syntax: syntax, quirks: quirks)
            expectSameVolume(try VolumeFile.load(folder.path).volume, series.expectedVolume)
        }
    }

    /// An odd-length private element breaks PS3.5 §7.1.1; following its length still finds every later element,
    /// so the reader may read through it or refuse the file, but must not misread it.
    @Test(arguments: [Syntax.explicitLittle, .implicitLittle, .explicitBig, .deflated])
    func anOddLengthPrivateElementIsReadThroughOrReported(syntax: Syntax) throws {
        var quirks = Quirks()
        quirks.oddLengthPrivateElement = true
        let series = SyntheticSeries()
        try withTemporaryFolder { folder in
            let paths = try series.write(to: folder.path, syntax: syntax, quirks: quirks)
            do {
                expectSameVolume(try VolumeFile.load(folder.path).volume, series.expectedVolume)
            } catch let error as IMATError {
                #expect(paths.contains { error.path == $0 || error.problem.contains(($0 as NSString).lastPathComponent) }, "\(error)")
            }
        }
    }

    @Test func filesWithoutTheDICMMagicAreIgnoredBesideDICOMFiles() throws {
        let series = SyntheticSeries()
        try withTemporaryFolder { folder in
            try series.write(to: folder.path)
            try writeFile(Array("acquired on the 3T\n".utf8), in: folder, named: "notes.txt")
            try writeFile([UInt8](repeating: 0x44, count: 300), in: folder, named: "IM9999")
            try writeFile([], in: folder, named: "empty")
            expectSameVolume(try VolumeFile.load(folder.path).volume, series.expectedVolume)
        }
    }

    @Test func aFolderWithoutDICOMFilesIsRefused() throws {
        try withTemporaryFolder { folder in
            try writeFile(Array("no images here\n".utf8), in: folder, named: "notes.txt")
            try writeFile([UInt8](repeating: 0, count: 200), in: folder, named: "IM0001")
            try loadingError(folder.path)
        }
    }

    /// Headers claiming more than the file holds: refused from the header, before a buffer of that size exists.
    /// NumberOfFrames is claimed in an enhanced file only (a single-frame image may ignore it).
    @Test(arguments: [(65535, 65535, nil), (40000, 40000, nil), (5, 6, 2_000_000_000), (5, 6, 1_000_000)] as [(Int, Int, Int?)])
    func giganticClaimsAreRefusedBeforeAllocating(rows: Int, columns: Int, frames: Int?) throws {
        var quirks = Quirks()
        quirks.claimedRows = rows
        quirks.claimedColumns = columns
        quirks.claimedFrames = frames
        try withTemporaryFolder { folder in
            if frames == nil {
                try loadingError(try writeFile(Self.slice(.explicitLittle, quirks), in: folder, named: "single.dcm"))
            }
            let enhanced = folder.appendingPathComponent("enhanced.dcm").path
            try SyntheticSeries().writeMultiFrame(to: enhanced, quirks: quirks)
            try loadingError(enhanced)
        }
    }

    @Test func volumesOverTheVoxelLimitAreRefused() throws {
        let series = SyntheticSeries()
        try withTemporaryFolder { folder in
            try series.write(to: folder.path)
            var options = LoadOptions()
            options.maxVoxels = series.columns * series.rows * series.slices - 1
            try loadingError(folder.path, options: options)
            options.maxVoxels += 1
            expectSameVolume(try VolumeFile.load(folder.path, options: options).volume, series.expectedVolume)
        }
    }
}
