import VolumeCore
/// NIfTI `datatype` codes (nifti1.h, shared by nifti2.h) and the voxel types they map to.
enum NIfTIDatatype {
    /// The voxel type stored under `code`, or nil for a code this reader does not take.
    static func voxelType(code: Int) -> VoxelType? {
        switch code {
        case 2: .uint8
        case 4: .int16
        case 8: .int32
        case 16: .float32
        case 64: .float64
        case 256: .int8
        case 512: .uint16
        case 768: .uint32
        default: nil
        }
    }

    static func code(for type: VoxelType) -> Int16 {
        switch type {
        case .uint8: 2
        case .int16: 4
        case .int32: 8
        case .float32: 16
        case .float64: 64
        case .int8: 256
        case .uint16: 512
        case .uint32: 768
        }
    }

    /// The nifti1.h name of a code, for error messages about codes we do not read.
    static func name(code: Int) -> String {
        switch code {
        case 0: "UNKNOWN"
        case 1: "BINARY"
        case 2: "UINT8"
        case 4: "INT16"
        case 8: "INT32"
        case 16: "FLOAT32"
        case 32: "COMPLEX64"
        case 64: "FLOAT64"
        case 128: "RGB24"
        case 256: "INT8"
        case 512: "UINT16"
        case 768: "UINT32"
        case 1024: "INT64"
        case 1280: "UINT64"
        case 1536: "FLOAT128"
        case 1792: "COMPLEX128"
        case 2048: "COMPLEX256"
        case 2304: "RGBA32"
        default: "not a NIfTI datatype"
        }
    }
}
