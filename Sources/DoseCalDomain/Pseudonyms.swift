/// Stable pseudonyms for showing colleagues to an interventionist (SPEC §3): the same operator
/// always gets the same label within a lab (a keyed hash of the lab's secret and the operator
/// id), and the label says nothing about the id.
public struct Pseudonymizer: Sendable {
    public let labKey: String

    /// - Parameter labKey: the lab's secret (kept in the store's settings).
    public init(labKey: String) { self.labKey = labKey }

    /// `peer-xxxxxx` (six hex digits of SHA-256(labKey | operatorID)).
    public func pseudonym(for operatorID: String) -> String {
        "peer-" + String(SHA256.hex("\(labKey)|\(operatorID)").prefix(6))
    }
}
