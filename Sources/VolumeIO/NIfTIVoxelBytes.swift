import VolumeCore
/// Raw-byte access to voxel arrays, so files are read into and written from the final arrays without copies.
extension VoxelStorage {
    /// Storage for `count` values of `type` whose bytes are written by `fill` straight into the array's memory.
    static func filled(_ type: VoxelType, count: Int,
                       by fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> VoxelStorage {
        func make<T>(_: T.Type) throws -> [T] {
            try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                try fill(UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            }
        }
        switch type {
        case .uint8: return .uint8(try make(UInt8.self))
        case .int8: return .int8(try make(Int8.self))
        case .int16: return .int16(try make(Int16.self))
        case .uint16: return .uint16(try make(UInt16.self))
        case .int32: return .int32(try make(Int32.self))
        case .uint32: return .uint32(try make(UInt32.self))
        case .float32: return .float32(try make(Float.self))
        case .float64: return .float64(try make(Double.self))
        }
    }

    /// Calls `body` with the values' bytes in memory order.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case .uint8(let a): try a.withUnsafeBytes(body)
        case .int8(let a): try a.withUnsafeBytes(body)
        case .int16(let a): try a.withUnsafeBytes(body)
        case .uint16(let a): try a.withUnsafeBytes(body)
        case .int32(let a): try a.withUnsafeBytes(body)
        case .uint32(let a): try a.withUnsafeBytes(body)
        case .float32(let a): try a.withUnsafeBytes(body)
        case .float64(let a): try a.withUnsafeBytes(body)
        }
    }
}

/// Reverses the byte order of every `width`-byte value in `bytes`, in place (for files of the other endianness).
func reverseByteOrder(_ bytes: UnsafeMutableRawBufferPointer, width: Int) {
    func reverse<T: FixedWidthInteger>(_: T.Type) {
        let count = bytes.count / MemoryLayout<T>.size
        for n in 0..<count {
            let offset = n * MemoryLayout<T>.size
            bytes.storeBytes(of: bytes.loadUnaligned(fromByteOffset: offset, as: T.self).byteSwapped, toByteOffset: offset, as: T.self)
        }
    }
    switch width {
    case 2: reverse(UInt16.self)
    case 4: reverse(UInt32.self)
    case 8: reverse(UInt64.self)
    default: break
    }
}
