import VolumeCore
/// How a DICOM data set after the file meta group is encoded (PS3.5 §10 and Annex A).
struct DICOMTransferSyntax: Equatable {
    enum PixelEncoding: Equatable {
        case native
        /// RLE Lossless (PS3.5 Annex G), decoded here.
        case rle
        /// JPEG baseline and extended (DCT; libjpeg-turbo, 8-bit).
        case jpeg
        /// JPEG lossless, process 14 (decoded here).
        case jpegLossless
        /// JPEG-LS lossless and near-lossless (CharLS).
        case jpegLS
        /// JPEG 2000 and High-Throughput JPEG 2000 (OpenJPEG).
        case jpeg2000
        /// A compressed syntax this reader does not decode (MPEG and retired JPEG processes), by name.
        case unsupported(String)
    }

    var uid: String
    var explicitVR: Bool
    var bigEndian: Bool
    /// The data set is a raw deflate stream (PS3.5 A.5).
    var deflated: Bool
    var pixels: PixelEncoding

    static let implicitLittle = DICOMTransferSyntax(uid: "1.2.840.10008.1.2", explicitVR: false, bigEndian: false, deflated: false, pixels: .native)
    static let explicitLittle = DICOMTransferSyntax(uid: "1.2.840.10008.1.2.1", explicitVR: true, bigEndian: false, deflated: false, pixels: .native)

    /// The syntax named by `uid`; compressed pixel syntaxes keep explicit VR little endian for the rest.
    init?(uid: String) {
        switch uid {
        case "1.2.840.10008.1.2": self = .implicitLittle
        case "1.2.840.10008.1.2.1": self = .explicitLittle
        case "1.2.840.10008.1.2.2":
            self.init(uid: uid, explicitVR: true, bigEndian: true, deflated: false, pixels: .native)
        case "1.2.840.10008.1.2.1.99":
            self.init(uid: uid, explicitVR: true, bigEndian: false, deflated: true, pixels: .native)
        case "1.2.840.10008.1.2.5":
            self.init(uid: uid, explicitVR: true, bigEndian: false, deflated: false, pixels: .rle)
        default:
            guard uid.hasPrefix("1.2.840.10008.1.2.4.") else { return nil }
            self.init(uid: uid, explicitVR: true, bigEndian: false, deflated: false, pixels: Self.compression(uid))
        }
    }

    private init(uid: String, explicitVR: Bool, bigEndian: Bool, deflated: Bool, pixels: PixelEncoding) {
        self.uid = uid
        self.explicitVR = explicitVR
        self.bigEndian = bigEndian
        self.deflated = deflated
        self.pixels = pixels
    }

    /// The codec of a compressed syntax in 1.2.840.10008.1.2.4.* (PS3.6 Annex A).
    private static func compression(_ uid: String) -> PixelEncoding {
        guard let number = Int(uid.dropFirst("1.2.840.10008.1.2.4.".count)) else { return .unsupported("compressed (\(uid))") }
        switch number {
        case 50, 51, 55: return .jpeg
        case 57, 70: return .jpegLossless
        case 80, 81: return .jpegLS
        case 90...93, 201...203: return .jpeg2000
        case 52...79: return .unsupported("retired JPEG process (\(uid))")
        case 100...108: return .unsupported("MPEG video (\(uid))")
        default: return .unsupported("compressed (\(uid))")
        }
    }
}
