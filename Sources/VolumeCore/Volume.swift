/// The extent of a volume in voxels: x varies fastest, then y, then z (the NIfTI and ITK memory order).
public struct Dimensions: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var z: Int

    public init(_ x: Int, _ y: Int, _ z: Int) {
        self.x = x
        self.y = y
        self.z = z
    }

    public var voxelCount: Int { x * y * z }
    public var sliceVoxelCount: Int { x * y }
    public var description: String { "\(x)×\(y)×\(z)" }

    /// The linear index of voxel (i, j, k) in storage order.
    @inline(__always)
    public func index(_ i: Int, _ j: Int, _ k: Int) -> Int { (k * y + j) * x + i }
}

/// The element types a volume can hold; the raw values are the names `imat info` prints.
public enum VoxelType: String, Sendable, CaseIterable {
    case uint8, int8, int16, uint16, int32, uint32, float32, float64

    public var byteCount: Int {
        switch self {
        case .uint8, .int8: 1
        case .int16, .uint16: 2
        case .int32, .uint32, .float32: 4
        case .float64: 8
        }
    }

    public var isInteger: Bool { self != .float32 && self != .float64 }
}

/// Voxel values in their stored type, so that reading and writing never changes a value.
public enum VoxelStorage: Equatable, Sendable {
    case uint8([UInt8])
    case int8([Int8])
    case int16([Int16])
    case uint16([UInt16])
    case int32([Int32])
    case uint32([UInt32])
    case float32([Float])
    case float64([Double])

    public var voxelType: VoxelType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .int16: .int16
        case .uint16: .uint16
        case .int32: .int32
        case .uint32: .uint32
        case .float32: .float32
        case .float64: .float64
        }
    }

    public var count: Int {
        switch self {
        case .uint8(let a): a.count
        case .int8(let a): a.count
        case .int16(let a): a.count
        case .uint16(let a): a.count
        case .int32(let a): a.count
        case .uint32(let a): a.count
        case .float32(let a): a.count
        case .float64(let a): a.count
        }
    }

    /// Every value converted to Float, in storage order.
    public func floatValues() -> [Float] {
        // Closures, not `Float.init`: an unapplied initializer reference can resolve to init(bitPattern:).
        switch self {
        case .uint8(let a): a.map { Float($0) }
        case .int8(let a): a.map { Float($0) }
        case .int16(let a): a.map { Float($0) }
        case .uint16(let a): a.map { Float($0) }
        case .int32(let a): a.map { Float($0) }
        case .uint32(let a): a.map { Float($0) }
        case .float32(let a): a
        case .float64(let a): a.map { Float($0) }
        }
    }

    /// Every value converted to Double (exact for every stored type), in storage order.
    public func doubleValues() -> [Double] {
        switch self {
        case .uint8(let a): a.map { Double($0) }
        case .int8(let a): a.map { Double($0) }
        case .int16(let a): a.map { Double($0) }
        case .uint16(let a): a.map { Double($0) }
        case .int32(let a): a.map { Double($0) }
        case .uint32(let a): a.map { Double($0) }
        case .float32(let a): a.map { Double($0) }
        case .float64(let a): a
        }
    }

    /// Every value as a non-negative integer label, or nil if some value is negative or not integral.
    public func labelValues() -> [UInt16]? {
        func convert<T: BinaryInteger>(_ a: [T]) -> [UInt16]? {
            var out = [UInt16](repeating: 0, count: a.count)
            for (n, v) in a.enumerated() {
                guard v >= 0, v <= T(exactly: UInt16.max) ?? v else { return nil }
                out[n] = UInt16(v)
            }
            return out
        }
        switch self {
        case .uint8(let a): return a.map { UInt16($0) }
        case .uint16(let a): return a
        case .int8(let a): return convert(a)
        case .int16(let a): return convert(a)
        case .int32(let a): return convert(a)
        case .uint32(let a): return convert(a)
        case .float32(let a):
            return a.allSatisfy { $0 >= 0 && $0 <= 65535 && $0.rounded() == $0 } ? a.map { UInt16($0) } : nil
        case .float64(let a):
            return a.allSatisfy { $0 >= 0 && $0 <= 65535 && $0.rounded() == $0 } ? a.map { UInt16($0) } : nil
        }
    }
}

/// A linear map from stored values to physical values (NIfTI scl_slope / scl_inter).
public struct IntensityScaling: Hashable, Sendable {
    public var slope: Double
    public var intercept: Double

    public init(slope: Double = 1, intercept: Double = 0) {
        self.slope = slope
        self.intercept = intercept
    }

    public static let identity = IntensityScaling()
    public var isIdentity: Bool { slope == 1 && intercept == 0 }
}

/// A 3-D image: its grid (dimensions, spacing, affine) and its voxel values in their stored type.
///
/// The grid and the data are kept apart: `storage` holds the values as stored and is never rescaled,
/// `scaling` says how stored values map to physical ones, and `floatValues()` applies it.
public struct Volume: Equatable, Sendable {
    public var dimensions: Dimensions
    /// Voxel size in millimetres along x, y, z.
    public var spacing: SIMD3<Double>
    /// Voxel index (i, j, k) → scanner millimetres (RAS+, NIfTI convention).
    public var affine: Affine
    public var storage: VoxelStorage
    public var scaling: IntensityScaling

    public init(dimensions: Dimensions, spacing: SIMD3<Double>, affine: Affine? = nil,
                storage: VoxelStorage, scaling: IntensityScaling = .identity) {
        precondition(storage.count == dimensions.voxelCount, "storage holds \(storage.count) values for \(dimensions) voxels")
        self.dimensions = dimensions
        self.spacing = spacing
        self.affine = affine ?? Affine.sliceStack(spacing: spacing)
        self.storage = storage
        self.scaling = scaling
    }

    public init(grid: VoxelGrid, storage: VoxelStorage) {
        self.init(dimensions: grid.dimensions, spacing: grid.spacing, affine: grid.affine, storage: storage)
    }

    public var voxelType: VoxelType { storage.voxelType }
    public var voxelCount: Int { dimensions.voxelCount }
    public var grid: VoxelGrid { VoxelGrid(dimensions: dimensions, spacing: spacing, affine: affine) }
    /// The volume of one voxel in millilitres.
    public var voxelVolumeML: Double { grid.voxelVolumeML }

    /// Physical values as Float32: stored values with `scaling` applied (in Double, then rounded once).
    public func floatValues() -> [Float] {
        guard !scaling.isIdentity else { return storage.floatValues() }
        let slope = scaling.slope, intercept = scaling.intercept
        return storage.doubleValues().map { Float($0 * slope + intercept) }
    }

    /// Physical values as Double: stored values with `scaling` applied.
    public func doubleValues() -> [Double] {
        guard !scaling.isIdentity else { return storage.doubleValues() }
        let slope = scaling.slope, intercept = scaling.intercept
        return storage.doubleValues().map { $0 * slope + intercept }
    }

    /// True when both volumes sit on the same voxel grid (dimensions and affine, to 1e-4 mm).
    public func sharesGrid(with other: Volume) -> Bool { sharesGrid(with: other.grid) }

    public func sharesGrid(with other: VoxelGrid) -> Bool {
        dimensions == other.dimensions && affine.isClose(to: other.affine, tolerance: 1e-4)
    }
}

/// Where a volume's voxels lie, without the voxels: kept when the values themselves are no longer needed.
public struct VoxelGrid: Equatable, Sendable {
    public var dimensions: Dimensions
    /// Voxel size in millimetres along x, y, z.
    public var spacing: SIMD3<Double>
    public var affine: Affine

    /// The volume of one voxel in millilitres.
    public var voxelVolumeML: Double { spacing.x * spacing.y * spacing.z / 1000 }
}

/// Exchanges the given slices (along the third axis, `sliceSize` values each) between two images of one grid:
/// how a Dixon fat–water swap is simulated and undone.
public func exchangeSlices<Element>(_ slices: [Int], sliceSize: Int, between a: inout [Element], and b: inout [Element]) {
    precondition(a.count == b.count, "the images differ in size")
    for z in slices { for i in (z * sliceSize)..<((z + 1) * sliceSize) { (a[i], b[i]) = (b[i], a[i]) } }
}
