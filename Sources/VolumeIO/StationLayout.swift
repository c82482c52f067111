import Foundation
import VolumeCore

/// Where each station lies on the common grid, with every rule about their geometry checked.
struct StationLayout {
    /// Station indices from the lowest slice position up.
    var order: [Int]
    /// For each station in `order`: the output slice its first slice lands on.
    var firstSlice: [Int]
    /// For each station in `order`: its slice count.
    var sliceCounts: [Int]
    var dimensions: Dimensions

    init(_ stations: [Station], maxVoxels: Int, folder: String) throws {
        guard let reference = stations.first else { throw IMATError(folder, "no stations to stitch") }
        let base = reference.volume
        let norms = base.affine.columnNorms
        let directions = Self.unitColumns(base.affine)
        for station in stations.dropFirst() {
            let volume = station.volume, path = station.name
            let difference = zip(Self.unitColumns(volume.affine), directions).map { pair in
                let d = pair.0 - pair.1
                return max(abs(d.x), abs(d.y), abs(d.z))
            }.max()!
            guard difference <= StationStitching.directionTolerance else {
                throw IMATError(path, "its orientation differs from \(reference.name) (direction cosines differ by \(Self.format(difference)); \(volume.affine.orientationCode) vs \(base.affine.orientationCode)): stations must share one orientation")
            }
            let theirs = volume.affine.columnNorms
            let inPlane = max(abs(theirs.x - norms.x), abs(theirs.y - norms.y))
            guard inPlane <= StationStitching.spacingTolerance else {
                throw IMATError(path, "its in-plane voxel size \(Self.format(theirs.x))×\(Self.format(theirs.y)) mm differs from \(reference.name)'s \(Self.format(norms.x))×\(Self.format(norms.y)) mm by \(Self.format(inPlane)) mm: stations are not resampled")
            }
            guard abs(theirs.z - norms.z) <= StationStitching.spacingTolerance else {
                throw IMATError(path, "its slice spacing \(Self.format(theirs.z)) mm differs from \(reference.name)'s \(Self.format(norms.z)) mm by \(Self.format(abs(theirs.z - norms.z))) mm: stations are not resampled")
            }
            guard volume.dimensions.x == base.dimensions.x, volume.dimensions.y == base.dimensions.y else {
                throw IMATError(path, "its slices are \(volume.dimensions.x)×\(volume.dimensions.y) voxels, \(reference.name)'s \(base.dimensions.x)×\(base.dimensions.y): stations must share the in-plane grid")
            }
        }

        // Each station's origin in the reference's voxel coordinates: whole slices along k, nothing in-plane.
        guard let toVoxels = Self.inverse(Self.linearPart(base.affine)) else {
            throw IMATError(reference.name, "its affine is singular: the station has no geometry to stitch by")
        }
        let origin = Self.translation(base.affine)
        var offsets: [Int] = []
        for station in stations {
            let shift = Self.multiply(toVoxels, Self.translation(station.volume.affine) - origin)
            let inPlane = max(abs(shift.x), abs(shift.y))
            guard inPlane <= StationStitching.inPlaneTolerance else {
                throw IMATError(station.name, "its in-plane origin is offset from \(reference.name)'s by (\(Self.format(shift.x)), \(Self.format(shift.y))) voxels: stations must share the in-plane grid (they are not resampled)")
            }
            let slices = shift.z.rounded()
            guard abs(shift.z - slices) <= StationStitching.sliceTolerance else {
                let fraction = shift.z - slices
                throw IMATError(station.name, "station \(station.name) is offset by a fraction of a slice from \(reference.name) (\(Self.format(fraction)) slice, \(Self.format(fraction * norms.z)) mm): its slices fall between the other's and would need resampling")
            }
            offsets.append(Int(slices))
        }

        order = stations.indices.sorted { (offsets[$0], $0) < (offsets[$1], $1) }
        let lowest = offsets[order[0]]
        firstSlice = order.map { offsets[$0] - lowest }
        sliceCounts = order.map { stations[$0].volume.dimensions.z }
        let names = order.map { stations[$0].name }
        for s in 1..<max(order.count, 1) {
            let previousEnd = firstSlice[s - 1] + sliceCounts[s - 1]
            if firstSlice[s] > previousEnd {
                let gap = firstSlice[s] - previousEnd
                throw IMATError(folder, "a gap of \(gap) slice\(gap == 1 ? "" : "s") (\(Self.format(Double(gap) * norms.z)) mm) between stations \(names[s - 1]) and \(names[s]): slices are missing")
            }
            guard firstSlice[s] > firstSlice[s - 1], firstSlice[s] + sliceCounts[s] > previousEnd else {
                throw IMATError(folder, "stations \(names[s - 1]) and \(names[s]) start at one slice or one lies within the other (slices \(firstSlice[s - 1])…\(previousEnd - 1) and \(firstSlice[s])…\(firstSlice[s] + sliceCounts[s] - 1)): a repeated acquisition, not the next station")
            }
            if s >= 2, firstSlice[s] < firstSlice[s - 2] + sliceCounts[s - 2] {
                throw IMATError(folder, "stations \(names[s - 2]), \(names[s - 1]) and \(names[s]) overlap at one slice: only neighbouring stations may overlap")
            }
        }
        let sliceCount = firstSlice.last! + sliceCounts.last!
        let voxels = base.dimensions.sliceVoxelCount.multipliedReportingOverflow(by: sliceCount)
        guard !voxels.overflow, voxels.partialValue <= maxVoxels else {
            throw IMATError(folder, "the stitched stations span \(base.dimensions.x)×\(base.dimensions.y)×\(sliceCount) voxels, over the limit of \(maxVoxels) voxels")
        }
        dimensions = Dimensions(base.dimensions.x, base.dimensions.y, sliceCount)
    }

    /// The slices station `s` (in `order`) shares with the next one up.
    func overlap(below s: Int) -> Int { firstSlice[s] + sliceCounts[s] - firstSlice[s + 1] }

    /// For each output slice: the station slice it copies, or the two it blends or cuts between.
    func sliceSources(overlap rule: StationOverlap) -> [StationStitching.SliceSource] {
        var sources: [StationStitching.SliceSource] = []
        sources.reserveCapacity(dimensions.z)
        for k in 0..<dimensions.z {
            // At most two stations cover a slice (checked in init); s is the lowest of them.
            let s = (0..<order.count).first { k < firstSlice[$0] + sliceCounts[$0] }!
            guard s + 1 < order.count, k >= firstSlice[s + 1] else {
                sources.append(.copy(station: s, slice: k - firstSlice[s]))
                continue
            }
            let shared = overlap(below: s), m = k - firstSlice[s + 1]
            switch rule {
            case .blend:
                sources.append(.blend(lower: s, lowerSlice: k - firstSlice[s], upper: s + 1, upperSlice: m,
                                      upperWeight: Double(m + 1) / Double(shared + 1)))
            case .cut:
                sources.append(m < (shared + 1) / 2 ? .copy(station: s, slice: k - firstSlice[s]) : .copy(station: s + 1, slice: m))
            }
        }
        return sources
    }

    // MARK: Affine arithmetic

    private static func linearPart(_ affine: Affine) -> [[Double]] { affine.rows.map { Array($0[0..<3]) } }
    private static func translation(_ affine: Affine) -> SIMD3<Double> { SIMD3(affine.rows.map { $0[3] }) }

    private static func unitColumns(_ affine: Affine) -> [SIMD3<Double>] {
        let norms = affine.columnNorms
        return (0..<3).map { c in SIMD3((0..<3).map { affine.rows[$0][c] }) / max(norms[c], .leastNormalMagnitude) }
    }

    /// The inverse of a 3×3 matrix by cofactors, or nil when it is singular.
    private static func inverse(_ m: [[Double]]) -> [[Double]]? {
        func cofactor(_ r: Int, _ c: Int) -> Double {
            let (r1, r2, c1, c2) = ((r + 1) % 3, (r + 2) % 3, (c + 1) % 3, (c + 2) % 3)
            return m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]
        }
        let det = (0..<3).map { m[0][$0] * cofactor(0, $0) }.reduce(0, +)
        guard det.isNormal else { return nil }
        return (0..<3).map { r in (0..<3).map { c in cofactor(c, r) / det } }
    }

    private static func multiply(_ m: [[Double]], _ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((0..<3).map { r in m[r][0] * v.x + m[r][1] * v.y + m[r][2] * v.z })
    }

    private static func format(_ value: Double) -> String { String(format: "%.3g", value) }
}
