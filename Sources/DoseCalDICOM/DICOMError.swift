/// The DICOM module's one public error: why a file is not a readable dose report.
///
/// Parsing errors carry the byte offset where the reader found the problem (for a deflated
/// data set, the offset inside the inflated bytes; the message says so). ``description`` is one
/// sentence that starts with the place, for example
/// `RF-Canon.dcm at byte 10412: element (0040,A730) declares 5120 bytes but only 300 remain`.
public struct DICOMError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. Raw values are stable identifiers for scripts and tests.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The file could not be read from disk, or a path does not exist.
        case cannotRead = "cannot_read"
        /// No `DICM` magic after a 128-byte preamble and no file meta group at byte 0.
        case notDICOM = "not_dicom"
        /// The bytes end inside an element, item or sequence.
        case truncated
        /// The bytes are not valid DICOM (impossible length, unknown VR, misplaced delimiter…).
        case malformed
        /// A transfer syntax the reader does not decode (big endian, unknown).
        case unsupportedTransferSyntax = "unsupported_transfer_syntax"
        /// A valid DICOM file that is not an X-Ray Radiation Dose SR (another SOP class, or a
        /// dose SR class with another document title). Import skips these files.
        case notADoseReport = "not_a_dose_report"
        /// A dose report that lacks something DoseCal needs (Study Instance UID, a date).
        case missingValue = "missing_value"
        /// A dose report value that cannot be used (a date that does not exist…).
        case invalidValue = "invalid_value"
        /// Reports that cannot be merged (different studies).
        case mergeConflict = "merge_conflict"
        /// A line of an RDSR mapping file that cannot be read.
        case mapping
    }

    public var kind: Kind
    /// The file name used in messages (empty when parsing bytes without a name).
    public var file: String
    /// Byte offset of the problem, for parsing errors.
    public var offset: Int?
    /// 1-based line, for mapping-file errors.
    public var line: Int?
    /// The sentence after the location.
    public var message: String

    public init(_ kind: Kind, file: String = "", offset: Int? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.offset = offset
        self.line = line
        self.message = message
    }

    /// `file at byte N: message` (or `file:line: message`).
    public var description: String {
        var place = file.isEmpty ? "DICOM data" : file
        if let line { place += ":\(line)" }
        if let offset { place += " at byte \(offset)" }
        return "\(place): \(message)"
    }

    /// The same error attributed to `file`.
    func named(_ file: String) -> DICOMError {
        var copy = self
        copy.file = file
        return copy
    }
}
