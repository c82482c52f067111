/// The muscles the phantom labels, with TotalSegmentator `total_mr` ids and names.
///
/// "Left" is the patient's left. The phantom's volumes use the slice-stack affine diag(-sx, -sy, sz)
/// (LPS), so a higher x index lies further to the patient's left: left muscles sit at higher x.
public enum Muscle: Int, CaseIterable, Codable, Sendable, Comparable {
    case autochthonLeft = 44
    case autochthonRight = 45
    case iliopsoasLeft = 46
    case iliopsoasRight = 47

    /// The label value in the mask.
    public var label: Int { rawValue }

    /// The TotalSegmentator name.
    public var name: String {
        switch self {
        case .autochthonLeft: "autochthon_left"
        case .autochthonRight: "autochthon_right"
        case .iliopsoasLeft: "iliopsoas_left"
        case .iliopsoasRight: "iliopsoas_right"
        }
    }

    /// Position in `allCases`, used to index per-muscle arrays.
    var slot: Int { rawValue - Muscle.autochthonLeft.rawValue }

    public static func < (a: Muscle, b: Muscle) -> Bool { a.rawValue < b.rawValue }
}
