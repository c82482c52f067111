/// Why a segmentation step could not produce a result.
public enum SegmentationError: Error, Equatable, CustomStringConvertible {
    /// Two arrays that must describe the same voxels differ in length.
    case sizeMismatch(what: String, expected: Int, actual: Int)
    /// No voxel is selected by the mask (or the label is absent).
    case emptyMask(String)
    /// A selected voxel holds NaN or infinity.
    case nonFiniteValue(index: Int)
    /// A parameter is outside the range the method supports.
    case invalidParameter(String)
    /// The input lacks what the method needs (e.g. Dixon without a water image).
    case missingInput(String)

    public var description: String {
        switch self {
        case .sizeMismatch(let what, let expected, let actual):
            "\(what) has \(actual) values, expected \(expected)"
        case .emptyMask(let what): "no voxels in \(what)"
        case .nonFiniteValue(let index): "voxel \(index) is NaN or infinite"
        case .invalidParameter(let text): text
        case .missingInput(let text): text
        }
    }
}
