import Foundation
import Reporting
import Testing

@Suite struct LabelTableTests {
    @Test func theTableIsChosenFromTheLabelIdsPresent() {
        #expect(LabelTable.detect(from: [44, 45, 46, 47]) == .totalSegmentator)
        #expect(LabelTable.detect(from: [31, 32, 33, 34, 7]) == .mrSegmentator)
        #expect(LabelTable.detect(from: [5101, 5102, 5121]) == .muscleMap)
        #expect(LabelTable.detect(from: [1, 2, 3]) == nil)
        #expect(LabelTable.muscleMap.name(of: 5132) == "quadratus_lumborum_right")
        #expect(LabelTable.totalSegmentator.name(of: 9) == "label_9")
    }

    @Test func builtInNamesAndFilesResolve() throws {
        #expect(try LabelTable.named("MRSegmentator") == .mrSegmentator)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"3": "multifidus_left", "4": "multifidus_right"}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try LabelTable.named(path).names == [3: "multifidus_left", 4: "multifidus_right"])
        try Data(#"{"x": "multifidus_left"}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try LabelTable.named(path) }
    }
}
