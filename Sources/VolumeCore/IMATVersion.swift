/// The version printed by `imat --version` and stored with every result.
public enum IMATVersion {
    public static let version = "0.2.0"

    /// The git revision the build was made from (12 hex digits, "-modified" with uncommitted changes, "unknown"
    /// outside a checkout); written in by the SourceRevision build plugin.
    public static let sourceRevision = SourceRevision.id

    /// This build's version and revision in one word, as tables hold it: "0.2.0+1a2b3c4d5e6f".
    public static let exact = exact(version: version, sourceRevision: sourceRevision)

    /// A version and a source revision in one word (SemVer build metadata); "unknown" when none was recorded.
    public static func exact(version: String, sourceRevision: String?) -> String { "\(version)+\(sourceRevision ?? "unknown")" }

    /// Bumped whenever an analysis can give other numbers than before, so that `imat batch` recomputes
    /// results stored by an earlier revision. Tests/CLITests/GoldenMetricsTests fails until it is.
    public static let analysisRevision = 6
}
