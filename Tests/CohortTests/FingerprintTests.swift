import Analysis
@testable import Cohort
import Foundation
import TestSupport
import Testing

/// A result is up to date exactly when its inputs, settings and tool are unchanged.
@Suite struct FingerprintTests {
    @Test func changesWithSettingsVersionAndInputsOnly() throws {
        let folder = try TemporaryFolder()
        try Data("mask".utf8).write(to: URL(fileURLWithPath: folder.file("mask.nii.gz")))
        try Data("t1".utf8).write(to: URL(fileURLWithPath: folder.file("t1.nii.gz")))
        let settings = AnalysisSettings()
        let base = try Fingerprint(participantFolder: folder.path, settings: settings, version: "1.0")
        #expect(try Fingerprint(participantFolder: folder.path, settings: settings, version: "1.0") == base)

        var other = settings
        other.method = .kmeans
        #expect(try Fingerprint(participantFolder: folder.path, settings: other, version: "1.0") != base)
        #expect(try Fingerprint(participantFolder: folder.path, settings: settings, version: "1.1") != base)

        try Data("t1, rewritten".utf8).write(to: URL(fileURLWithPath: folder.file("t1.nii.gz")))
        #expect(try Fingerprint(participantFolder: folder.path, settings: settings, version: "1.0") != base)
    }

    @Test func storedFingerprintsReadBack() throws {
        let folder = try TemporaryFolder()
        let fingerprint = Fingerprint(value: "0123456789abcdef0123456789abcdef")
        try fingerprint.fileData.write(to: URL(fileURLWithPath: folder.file(Fingerprint.fileName)))
        #expect(Fingerprint.stored(in: folder.path) == fingerprint)
        #expect(Fingerprint.stored(in: folder.file("absent")) == nil)
    }
}
