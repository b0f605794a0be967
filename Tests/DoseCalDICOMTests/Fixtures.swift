import Foundation
@testable import DoseCalDICOM

/// Expected values written by `Fixtures/rdsr_expected.py` (pydicom), snake_case keys.
struct Expected: Decodable {
    struct Plane: Decodable {
        var plane: String
        var kapTotalGycm2: Double?
        var kapFluoroGycm2: Double?
        var kapAcqGycm2: Double?
        var fluoroTimeS: Double?
        var acqTimeS: Double?
        var doseRpTotalGy: Double?
        var doseRpFluoroGy: Double?
        var doseRpAcqGy: Double?
        var referencePoint: String?
    }

    struct EventSum: Decodable {
        var plane: String
        var events: Int
        var kapGycm2: Double
        var doseRpGy: Double
    }

    var file: String
    var status: String
    var sopClassUid: String
    var transferSyntaxUid: String
    var studyUid: String?
    var startedAt: String?
    var manufacturer: String?
    var model: String?
    var station: String?
    var studyDescription: String?
    var requestedProcedure: String?
    var kapTotalGycm2: Double?
    var kapFluoroGycm2: Double?
    var kapAcqGycm2: Double?
    var fluoroTimeS: Double?
    var acqTimeS: Double?
    var doseRpTotalGy: Double?
    var events: Int?
    var eventUids: [String]?
    var planes: [Plane]?
    var eventSums: [EventSum]?
}

struct ExpectedCorpus: Decodable {
    var generator: String
    var files: [Expected]
}

enum Fixtures {
    static func url(_ name: String, _ ext: String) -> URL? {
        Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures")
            ?? Bundle.module.url(forResource: name, withExtension: ext)
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    static func expectation(named name: String, _ ext: String) throws -> Expected {
        guard let url = url(name, ext) else { throw CocoaError(.fileNoSuchFile) }
        return try decoder().decode(Expected.self, from: Data(contentsOf: url))
    }

    /// The corpus answer key; empty if it cannot be loaded (a test checks that it loads).
    static let corpus: ExpectedCorpus? = {
        guard let url = url("rdsr-expected", "json"), let data = try? Data(contentsOf: url) else { return nil }
        return try? decoder().decode(ExpectedCorpus.self, from: data)
    }()
}
