import VolumeCore

/// Hard class per voxel from ascending thresholds (GMM, k-means or Otsu): 1 + the class index inside
/// the selection (a value below `thresholds[k]` is in class ≤ k), 0 outside; chunks in parallel.
public func classMap(_ values: [Float], labels: [UInt16], selection: LabelSelection = .anyLabel, thresholds: [Double],
                     workers: Int = Parallel.defaultWorkers) throws -> [UInt8] {
    guard labels.count == values.count else {
        throw SegmentationError.sizeMismatch(what: "label map", expected: values.count, actual: labels.count)
    }
    guard thresholds.count < 255 else { throw SegmentationError.invalidParameter("at most 254 thresholds, got \(thresholds.count)") }
    var out = [UInt8](repeating: 0, count: values.count)
    let parts = Chunks.ranges(values.count)
    out.withUnsafeMutableBufferPointer { buffer in
        let shared = UnsafeSendableBuffer(buffer)
        Parallel.forEach(parts.count, workers: workers) { c in
            for i in parts[c] where selection.contains(labels[i]) {
                shared.base[i] = UInt8(1 + classIndex(of: Double(values[i]), thresholds: thresholds))
            }
        }
    }
    return out
}
