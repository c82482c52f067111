import VolumeCore

/// Which voxels count as neighbours in 3-D: faces only (6) or faces, edges and corners (26).
public enum Connectivity: Int, Sendable {
    case faces = 6
    case all = 26

    /// Neighbour offsets (di, dj, dk), excluding the voxel itself.
    var offsets: [(Int, Int, Int)] {
        var out: [(Int, Int, Int)] = []
        for dk in -1...1 { for dj in -1...1 { for di in -1...1 {
            let steps = abs(di) + abs(dj) + abs(dk)
            if steps == 0 || (self == .faces && steps > 1) { continue }
            out.append((di, dj, dk))
        } } }
        return out
    }
}
