import Foundation
import VolumeCore

/// The vertebra each label id of a vertebra segmentation stands for, from the segmenter that drew it.
public struct VertebraTable: Equatable, Sendable {
    public var name: String
    /// Label id → vertebra (`L4`, `T12`, `S1`, `sacrum`).
    public var vertebrae: [Int: Vertebra]

    /// Reads the vertebra out of each name (`vertebrae_L4`, `L4`, `sacrum`); names that hold none are not vertebrae.
    public init(name: String, names: [Int: String]) {
        self.name = name
        vertebrae = names.compactMapValues(Vertebra.init(labelName:))
    }

    /// TotalSegmentator's `vertebrae_mr` task (`totalsegmentator/map_to_binary.py`): 1 sacrum, 2 L5 … 6 L1, 7 T12 … 18 T1, 19 C7 … 25 C1.
    public static let vertebraeMR = VertebraTable(name: "vertebrae_mr", names: spine(sacrum: 1, sacralFirst: nil, l5: 2))
    /// TotalSegmentator's CT `total` task (v2): 25 sacrum, 26 S1, 27 L5 … 31 L1, 32 T12 … 43 T1, 44 C7 … 50 C1.
    public static let totalCT = VertebraTable(name: "total", names: spine(sacrum: 25, sacralFirst: 26, l5: 27))

    public static let builtIn = [vertebraeMR, totalCT]

    /// A built-in table by name, or a labels file (JSON or BIDS .tsv, as for `--labels`) whose names hold the vertebrae.
    public static func named(_ argument: String) throws -> VertebraTable {
        if let table = builtIn.first(where: { $0.name == argument.lowercased() }) { return table }
        guard FileManager.default.fileExists(atPath: argument) else {
            throw IMATError(argument: argument, "no such vertebra labels file (built-in tables: \(builtIn.map(\.name).joined(separator: ", ")))")
        }
        let table = try LabelTable.named(argument)
        let vertebrae = VertebraTable(name: argument, names: table.names)
        guard !vertebrae.vertebrae.isEmpty else {
            throw IMATError(argument, "names no vertebra (names such as vertebrae_L4, L4 or sacrum)")
        }
        return vertebrae
    }

    /// TotalSegmentator's ids run from the sacrum up: L5 … L1, T12 … T1, C7 … C1.
    private static func spine(sacrum: Int, sacralFirst: Int?, l5: Int) -> [Int: String] {
        var names = [sacrum: "sacrum"]
        if let sacralFirst { names[sacralFirst] = "vertebrae_S1" }
        let upwards = (1...5).reversed().map { "L\($0)" } + (1...12).reversed().map { "T\($0)" } + (1...7).reversed().map { "C\($0)" }
        for (offset, vertebra) in upwards.enumerated() { names[l5 + offset] = "vertebrae_" + vertebra }
        return names
    }
}

/// One vertebra, ordered from the skull down.
public struct Vertebra: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// C1 … C7, T1 … T12, L1 … L6, S1, or the sacrum.
    public enum Region: Int, Sendable { case cervical, thoracic, lumbar, sacral }
    public var region: Region
    /// 1-based within the region; the sacrum is S1 with `isWholeSacrum`.
    public var number: Int
    public var isWholeSacrum = false

    /// The vertebra a label name names: its last word that is C1–C7, T1–T12, L1–L6 or S1, or the word sacrum.
    public init?(labelName: String) {
        let words = labelName.lowercased().split { !$0.isLetter && !$0.isNumber }
        // A disc, the canal or the cord at a level is no vertebra.
        guard words.allSatisfy({ !["disc", "discs", "ivd", "intervertebral", "canal", "cord", "spinal"].contains($0) }) else { return nil }
        if words.contains("sacrum") {
            (region, number, isWholeSacrum) = (.sacral, 1, true)
            return
        }
        let ranges: [Character: (Region, ClosedRange<Int>)] = ["c": (.cervical, 1...7), "t": (.thoracic, 1...12), "l": (.lumbar, 1...6), "s": (.sacral, 1...1)]
        guard let word = words.last(where: { $0.count >= 2 && ranges[$0.first!] != nil && Int($0.dropFirst()) != nil }),
              let (region, valid) = ranges[word.first!], let number = Int(word.dropFirst()), valid.contains(number) else { return nil }
        (self.region, self.number) = (region, number)
    }

    /// Position down the spine: C1 = 1 … C7 = 7, T1 = 8 … T12 = 19, L1 = 20 … L5 = 24, S1 and the sacrum 25;
    /// L6, a transitional vertebra, between L5 and S1.
    public var rank: Double {
        switch region {
        case .cervical: Double(number)
        case .thoracic: Double(7 + number)
        case .lumbar: number == 6 ? 24.5 : Double(19 + number)
        case .sacral: 25
        }
    }

    /// `L4`; the sacrum reads `S1` where levels are named (the L5-S1 disc), and `sacrum` here.
    public var description: String { isWholeSacrum ? "sacrum" : levelName }
    var levelName: String { ["C", "T", "L", "S"][region.rawValue] + String(number) }

    public static func < (a: Vertebra, b: Vertebra) -> Bool { a.rank == b.rank ? !a.isWholeSacrum && b.isWholeSacrum : a.rank < b.rank }
}
