/// The version printed by `imat --version` and stored with every result.
public enum IMATVersion {
    public static let version = "0.2.0"

    /// Bumped whenever an analysis can give other numbers than before, so that `imat batch` recomputes
    /// results stored by an earlier revision. Tests/CLITests/GoldenMetricsTests fails until it is.
    public static let analysisRevision = 6
}
