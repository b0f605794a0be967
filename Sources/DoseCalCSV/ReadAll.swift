import DoseCalDomain

/// Reads every row of a record source into memory: the records and the rejections, in file order.
///
/// For tests and small files; a large import should consume ``RecordSource/next()`` row by row.
/// - Parameter source: a source positioned anywhere; it is read to its end.
/// - Returns: the valid records and every rejected row.
/// - Throws: whatever the source throws (a ``CSVError`` for the CSV sources).
public func readAll<Source: RecordSource>(_ source: Source) throws -> (records: [Source.Record], rejections: [RowRejection]) {
    var source = source
    var records: [Source.Record] = []
    var rejections: [RowRejection] = []
    while let outcome = try source.next() {
        switch outcome {
        case let .record(record, _): records.append(record)
        case let .rejected(rejection): rejections.append(rejection)
        }
    }
    return (records, rejections)
}
