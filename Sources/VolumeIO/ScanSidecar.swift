import Foundation
import VolumeCore

/// The optional `scan.json` beside an image: geometry that PNG slices cannot carry, and label names.
///
/// `{"spacing_mm": [x, y, z], "labels": {"44": "autochthon_left", …}, …}`; unknown keys are kept for the caller.
public struct ScanSidecar: Sendable {
    public var spacing: SIMD3<Double>?
    public var labelNames: [Int: String]
    /// The whole JSON object, for metadata the caller understands (participant fields, Dixon settings, …).
    public var fields: [String: any Sendable]

    public static let fileName = "scan.json"

    public init(spacing: SIMD3<Double>? = nil, labelNames: [Int: String] = [:], fields: [String: any Sendable] = [:]) {
        self.spacing = spacing
        self.labelNames = labelNames
        self.fields = fields
    }

    /// Parses a sidecar file; a malformed one is an error naming it.
    public static func read(_ path: String) throws -> ScanSidecar {
        guard let data = FileManager.default.contents(atPath: path) else { throw IMATError(path, "cannot read the file") }
        guard let object = try? JSONSerialization.jsonObject(with: data), let dict = object as? [String: Any] else {
            throw IMATError(path, "not a JSON object")
        }
        var sidecar = ScanSidecar()
        if let value = dict["spacing_mm"] {
            guard let list = value as? [Any], list.count == 3,
                  let numbers = Optional(list.compactMap { ($0 as? NSNumber)?.doubleValue }), numbers.count == 3,
                  numbers.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw IMATError(path, "spacing_mm must be three positive numbers")
            }
            sidecar.spacing = SIMD3(numbers[0], numbers[1], numbers[2])
        }
        if let value = dict["labels"] {
            guard let table = value as? [String: Any] else { throw IMATError(path, "labels must map label ids to names") }
            for (key, name) in table {
                guard let id = Int(key), let text = name as? String else {
                    throw IMATError(path, "labels must map integer ids to names, not \(key)")
                }
                sidecar.labelNames[id] = text
            }
        }
        sidecar.fields = dict.compactMapValues { sendableJSON($0) }
        return sidecar
    }

    /// The sidecar that applies to an image: `scan.json` inside its folder, else beside it; nil if none.
    public static func find(for imagePath: String) throws -> ScanSidecar? {
        let url = URL(fileURLWithPath: imagePath)
        var isDir: ObjCBool = false
        var candidates: [URL] = []
        if FileManager.default.fileExists(atPath: imagePath, isDirectory: &isDir), isDir.boolValue {
            candidates.append(url.appendingPathComponent(fileName))
        }
        candidates.append(url.deletingLastPathComponent().appendingPathComponent(fileName))
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.path) {
            return try read(candidate.path)
        }
        return nil
    }

    private static func sendableJSON(_ value: Any) -> (any Sendable)? {
        switch value {
        case let n as NSNumber: return n.doubleValue
        case let s as String: return s
        case let a as [Any]: return a.compactMap { sendableJSON($0) }
        case let d as [String: Any]: return d.compactMapValues { sendableJSON($0) }
        default: return nil
        }
    }
}
