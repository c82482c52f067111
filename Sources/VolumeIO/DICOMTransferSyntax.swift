/// How a DICOM data set after the file meta group is encoded (PS3.5 §10 and Annex A).
struct DICOMTransferSyntax: Equatable {
    enum PixelEncoding: Equatable {
        case native
        /// RLE Lossless (PS3.5 Annex G), decoded here.
        case rle
        /// A compressed syntax this reader does not decode (JPEG, JPEG-LS, JPEG 2000, …), by name.
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
            self.init(uid: uid, explicitVR: true, bigEndian: false, deflated: false, pixels: .unsupported(Self.compressionName(uid)))
        }
    }

    private init(uid: String, explicitVR: Bool, bigEndian: Bool, deflated: Bool, pixels: PixelEncoding) {
        self.uid = uid
        self.explicitVR = explicitVR
        self.bigEndian = bigEndian
        self.deflated = deflated
        self.pixels = pixels
    }

    /// The family of a compressed syntax in 1.2.840.10008.1.2.4.* (PS3.6 Annex A), for the error message.
    private static func compressionName(_ uid: String) -> String {
        guard let number = Int(uid.dropFirst("1.2.840.10008.1.2.4.".count)) else { return "compressed (\(uid))" }
        switch number {
        case 50...79: return "JPEG (\(uid))"
        case 80...81: return "JPEG-LS (\(uid))"
        case 90...93, 201...204: return "JPEG 2000 (\(uid))"
        case 100...108: return "MPEG video (\(uid))"
        default: return "compressed (\(uid))"
        }
    }
}
