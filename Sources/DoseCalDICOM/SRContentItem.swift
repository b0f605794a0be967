/// A coded concept: code value, coding scheme designator and meaning (PS3.3 §8.8).
///
/// Matching uses ``value`` and ``scheme`` only; ``meaning`` is for people (vendors spell it in
/// many ways: "Fluoro Dose(RP) Total", "Total Number Of Radiographic Frames").
public struct CodedConcept: Hashable, Sendable, CustomStringConvertible {
    public var value: String
    public var scheme: String
    public var meaning: String

    public init(_ value: String, _ scheme: String, _ meaning: String = "") {
        self.value = value
        self.scheme = scheme
        self.meaning = meaning
    }

    /// Same code value and coding scheme designator.
    public func matches(_ other: CodedConcept) -> Bool {
        value == other.value && scheme == other.scheme
    }

    /// `(113722, DCM, "Dose Area Product Total")`.
    public var description: String { "(\(value), \(scheme), \"\(meaning)\")" }

    /// The first item of a code sequence.
    init?(item: DataSet?) {
        guard let item else { return nil }
        guard let value = item.string(.codeValue) ?? item.string(.longCodeValue) ?? item.string(.urnCodeValue) else { return nil }
        self.init(value, item.string(.codingSchemeDesignator) ?? "", item.string(.codeMeaning) ?? "")
    }
}

/// A measured value of a NUM content item: the decimal text as written, and its unit code.
public struct NumericMeasurement: Hashable, Sendable {
    /// Numeric Value (0040,A30A) as written (a DS string).
    public var text: String
    /// The parsed number, `nil` when the text is not a decimal number.
    public var number: Double?
    /// Measurement Units Code Sequence (0040,08EA), `nil` when absent.
    public var unit: CodedConcept?
}

/// One content item of an SR document tree (PS3.3 §C.17.3), with its children.
public struct SRContentItem: Sendable {
    /// The typed value of an item; value types DoseCal does not need are ``other``.
    public enum Value: Sendable {
        case container
        case text(String)
        case code(CodedConcept?)
        /// `nil` when the Measured Value Sequence is empty (no value).
        case num(NumericMeasurement?)
        case uidref(String)
        case dateTime(String)
        case other
    }

    /// Relationship Type (0040,A010), e.g. `CONTAINS`, `HAS CONCEPT MOD`.
    public var relationship: String?
    /// Value Type (0040,A040), e.g. `CONTAINER`, `NUM`.
    public var valueType: String
    /// Concept Name Code Sequence (0040,A043).
    public var concept: CodedConcept?
    public var value: Value
    public var children: [SRContentItem]
    /// Byte offset of the item's data set.
    public var offset: Int

    /// Builds the item (and its subtree) from a data set: the document root or a Content Sequence item.
    /// - Complexity: O(*n*) in the size of the subtree; the depth is bounded by the parser's
    ///   sequence nesting limit.
    public init(_ item: DataSet) {
        relationship = item.string(.relationshipType)
        valueType = item.string(.valueType) ?? ""
        concept = CodedConcept(item: item.sequence(.conceptNameCodeSequence).first)
        offset = item.offset
        switch valueType {
        case "CONTAINER":
            value = .container
        case "TEXT":
            value = .text(item.string(.textValue) ?? "")
        case "CODE":
            value = .code(CodedConcept(item: item.sequence(.conceptCodeSequence).first))
        case "NUM":
            if let measured = item.sequence(.measuredValueSequence).first, let text = measured.string(.numericValue) {
                value = .num(NumericMeasurement(text: text, number: parseDecimalString(text),
                                         unit: CodedConcept(item: measured.sequence(.measurementUnitsCodeSequence).first)))
            } else {
                value = .num(nil)
            }
        case "UIDREF":
            value = .uidref(item.string(.uid) ?? "")
        case "DATETIME":
            value = .dateTime(item.string(.dateTime) ?? "")
        default:
            value = .other
        }
        children = item.sequence(.contentSequence).map(SRContentItem.init)
    }

    /// Whether the concept name is `code` (value and scheme).
    public func isConcept(_ code: CodedConcept) -> Bool {
        concept?.matches(code) ?? false
    }

    /// Direct children whose concept name is `code`.
    public func children(_ code: CodedConcept) -> [SRContentItem] {
        children.filter { $0.isConcept(code) }
    }

    /// The text of a TEXT item, or the meaning (else value) of a CODE item's concept.
    public var textOrCodeMeaning: String? {
        switch value {
        case let .text(t): return t.isEmpty ? nil : t
        case let .code(c?): return c.meaning.isEmpty ? c.value : c.meaning
        default: return nil
        }
    }
}

/// Parses a DICOM Decimal String (PS3.5 §6.2, DS): optional sign, digits with an optional
/// fraction, optional exponent; surrounding spaces allowed. Accepts '1.6e-005', '0.00', '12'.
/// - Returns: the finite value, or `nil` for anything else (multiple values, NaN, text).
public func parseDecimalString(_ text: String) -> Double? {
    let t = text.trimmingSpaces()
    guard !t.isEmpty, t.utf8.count <= 64 else { return nil }
    var sawDigit = false
    for (i, c) in t.utf8.enumerated() {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            if i != 0 {
                let prev = t.utf8[t.utf8.index(t.utf8.startIndex, offsetBy: i - 1)]
                guard prev == UInt8(ascii: "e") || prev == UInt8(ascii: "E") else { return nil }
            }
        default: return nil
        }
    }
    guard sawDigit, let v = Double(t), v.isFinite else { return nil }
    return v
}
