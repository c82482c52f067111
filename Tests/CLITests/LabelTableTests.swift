import Analysis
import Foundation
import TestSupport
import Testing

@Suite struct LabelTableTests {
    static func detect(_ present: Set<Int>) throws -> LabelTableChoice {
        try LabelTableChoice.choose(argument: nil, sidecarNames: nil, maskPath: "/nonexistent/mask.nii.gz", present: present)
    }

    @Test func theTableIsChosenByEvidenceOrNotAtAll() throws {
        // TotalSegmentator ≥ 2.5: 48/49 without the thigh labels of the earlier ids.
        #expect(try Self.detect([5, 19, 46, 47, 48, 49]).table == .totalSegmentator)
        // Before 2.5: labels above 50 exist only there.
        #expect(try Self.detect([44, 45, 46, 47, 48, 49, 52, 53]).table == .totalSegmentatorV1)
        #expect(try Self.detect([5101, 5102, 5121]).table == .muscleMap)
        // Ids no built-in table knows: every label a muscle, said so.
        let unknown = try Self.detect([9001, 9002])
        #expect(unknown.table == .none && unknown.reason.contains("every label analysed as a muscle"))
        // 44–47 alone are autochthon/iliopsoas before 2.5 but gluteus minimus/autochthon since: ambiguous.
        #expect(throws: (any Error).self) { try Self.detect([44, 45, 46, 47]) }
        // 1–8: organs for TotalSegmentator and MRSegmentator, lumbar muscles for MuscleMap's abdomen model.
        #expect(throws: (any Error).self) { try Self.detect([1, 2, 3, 4, 5, 6, 7, 8]) }
        // Some ids known, others not: no table fits whole.
        #expect(throws: (any Error).self) { try Self.detect([46, 47, 9001]) }
    }

    @Test func onlyMusclesAreMuscles() {
        #expect(LabelTable.totalSegmentator.muscles == Set(40...49))
        #expect(LabelTable.totalSegmentatorV1.muscles == Set(38...55))
        #expect(LabelTable.mrSegmentator.muscles == Set(31...40))
        #expect(LabelTable.totalSegmentator.name(of: 46) == "autochthon_left" && LabelTable.totalSegmentator.name(of: 48) == "iliopsoas_left")
        #expect(LabelTable.totalSegmentatorV1.name(of: 44) == "autochthon_left")
        #expect(LabelTable.muscleMap.name(of: 5132) == "quadratus_lumborum_right")
        #expect(LabelTable.totalSegmentator.name(of: 99) == "label_99")
        #expect(!AnatomyVocabulary.isMuscle("vertebrae_L4") && !AnatomyVocabulary.isMuscle("L4") && !AnatomyVocabulary.isMuscle("iliac_artery_left"))
        #expect(AnatomyVocabulary.isMuscle("iliacus_left") && AnatomyVocabulary.isMuscle("Erector spinae (left)"))
    }

    @Test func builtInNamesAndFilesResolve() throws {
        #expect(try LabelTable.named("MRSegmentator") == .mrSegmentator)
        #expect(try LabelTable.named("none") == .none)
        let temporary = try TemporaryFolder()
        let path = temporary.file("labels.json")
        try Data(#"{"3": "multifidus_left", "4": "multifidus_right"}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try LabelTable.named(path).names == [3: "multifidus_left", 4: "multifidus_right"])
        try Data(#"{"labels": [{"muscle": "psoas major", "side": "left", "value": 6}, {"anatomy": "sacrum", "side": "no side", "value": 9}]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let model = try LabelTable.named(path)
        #expect(model.names == [6: "psoas_major_left", 9: "sacrum"] && model.muscles == [6])
        for bad in [#"{"x": "multifidus_left"}"#, #"{"labels": [{"muscle": "psoas", "value": 0}]}"#, #"{"labels": 3}"#, "[]"] {
            try Data(bad.utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: (any Error).self) { try LabelTable.named(path) }
        }
        let tsv = path + ".tsv"
        defer { try? FileManager.default.removeItem(atPath: tsv) }
        try "index\tname\tabbreviation\n0\tbackground\tBG\n1\tmultifidus_left\tMF\n2\tvertebrae_L4\tL4\n".write(toFile: tsv, atomically: true, encoding: .utf8)
        let lookup = try LabelTable.named(tsv)
        #expect(lookup.names == [1: "multifidus_left", 2: "vertebrae_L4"] && lookup.muscles == [1])
        try "idx\tname\n1\tx\n".write(toFile: tsv, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try LabelTable.named(tsv) }
    }
}
