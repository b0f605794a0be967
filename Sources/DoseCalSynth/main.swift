// dosecal-synth: a seeded generator of large, realistic DoseCal datasets in SPEC §2's CSV form.
//
//   dosecal-synth --procedures 5000000 --seed 1 --out DIR [--years 10] [--operators 400] [--type-variants 1]
//
// writes DIR/procedures.csv, DIR/exposures.csv (a first operator for every procedure, a second
// for about 80 %: ~1.8 rows per procedure) and DIR/operators.csv. Procedure types are quoted
// names holding commas and doubled quotes; optional fields are sometimes empty; about 1 % of
// KAPs are empty (unknown). The same arguments always give the same bytes.
//
// A national registry's shape: `--operators 20000 --type-variants 15` (each of the 20 procedure
// types written under 15 names, as different sites name them: 300 types in all).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, and enough for synthetic data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A buffered file writer.
final class Output {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    init(_ path: String) {
        guard let f = fopen(path, "wb") else { fatalError("cannot write \(path)") }
        file = f
        buffer.reserveCapacity(1 << 23)
    }
    @inline(__always) func byte(_ b: UInt8) { buffer.append(b) }
    @inline(__always) func text(_ s: String) { buffer.append(contentsOf: s.utf8) }
    @inline(__always) func bytes(_ s: [UInt8]) { buffer.append(contentsOf: s) }
    /// A non-negative integer.
    @inline(__always) func int(_ v: Int) {
        if v >= 10 { int(v / 10) }
        buffer.append(UInt8(48 + v % 10))
    }
    /// A non-negative number with `decimals` digits after the point (rounded half up).
    @inline(__always) func fixed(_ v: Double, _ decimals: Int) {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let n = Int((v * Double(scale)).rounded())
        int(n / scale)
        guard decimals > 0 else { return }
        buffer.append(UInt8(ascii: "."))
        var frac = n % scale
        var digits = [UInt8](repeating: 48, count: decimals)
        for i in stride(from: decimals - 1, through: 0, by: -1) { digits[i] = UInt8(48 + frac % 10); frac /= 10 }
        buffer.append(contentsOf: digits)
    }
    @inline(__always) func flushIfFull() { if buffer.count >= 1 << 23 { flush() } }
    func flush() {
        _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        buffer.removeAll(keepingCapacity: true)
    }
    func close() { flush(); fclose(file) }
}

/// RFC 4180 quoting of a text field (only when needed).
func csvField(_ s: String) -> [UInt8] {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return Array(s.utf8) }
    return Array(("\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"").utf8)
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

// MARK: Arguments

var procedureCount = 100_000
var seed: UInt64 = 1
var outDir = "."
var years = 10
var operatorCount = 400
var typeVariants = 1
let usage = "usage: dosecal-synth --procedures N --seed S --out DIR [--years Y] [--operators K] [--type-variants V]\n"
/// Prints `message` and the usage to stderr and exits with status 2.
func usageError(_ message: String) -> Never {
    var text = "dosecal-synth: \(message)\n" + usage
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--help" || a == "-h" {
        print(usage, terminator: "")
        exit(0)
    }
    guard let v = args.popFirst() else { usageError("\(a) needs a value") }
    func count(_ minimum: Int) -> Int {
        guard let n = Int(v), n >= minimum else { usageError("\(a) needs a whole number of at least \(minimum), not '\(v)'") }
        return n
    }
    switch a {
    case "--procedures": procedureCount = count(0)
    case "--seed": seed = UInt64(count(0))
    case "--out": outDir = v
    case "--years": years = count(1)
    case "--operators": operatorCount = count(8)
    case "--type-variants": typeVariants = count(1)
    default: usageError("unknown option \(a)")
    }
}
mkdir(outDir, 0o755)

// MARK: Structure

struct ProcedureType {
    var name: [UInt8]
    var kapMedian: Double
    /// µSv per Gy·cm² for the first operator.
    var ratio: Double
}
struct Specialty {
    var name: String
    var types: [ProcedureType]
    var rooms: [[UInt8]]
    var share: Double
}
let builtInSpecialties: [Specialty] = [
    Specialty(name: "cardiology", types: [
        ProcedureType(name: csvField("coronary angiography"), kapMedian: 25, ratio: 0.3),
        ProcedureType(name: csvField("PCI, single vessel"), kapMedian: 60, ratio: 0.35),
        ProcedureType(name: csvField("PCI, multivessel \"complex\""), kapMedian: 110, ratio: 0.4),
        ProcedureType(name: csvField("TAVI"), kapMedian: 70, ratio: 0.25),
        ProcedureType(name: csvField("pacemaker implantation"), kapMedian: 8, ratio: 0.8),
        ProcedureType(name: csvField("electrophysiology study, ablation"), kapMedian: 15, ratio: 0.6),
        ProcedureType(name: csvField("right heart catheterisation"), kapMedian: 5, ratio: 0.5),
    ], rooms: (1...24).map { csvField("CARD-\($0)") }, share: 0.45),
    Specialty(name: "radiology", types: [
        ProcedureType(name: csvField("biliary drainage"), kapMedian: 20, ratio: 3.5),
        ProcedureType(name: csvField("spinal infiltration"), kapMedian: 4, ratio: 2.2),
        ProcedureType(name: csvField("TIPS, \"shunt\" revision"), kapMedian: 150, ratio: 0.9),
        ProcedureType(name: csvField("embolisation, uterine"), kapMedian: 120, ratio: 0.7),
        ProcedureType(name: csvField("vertebroplasty"), kapMedian: 30, ratio: 1.8),
        ProcedureType(name: csvField("nephrostomy"), kapMedian: 6, ratio: 2.0),
    ], rooms: (1...20).map { csvField("RAD-\($0)") }, share: 0.35),
    Specialty(name: "vascular surgery", types: [
        ProcedureType(name: csvField("EVAR"), kapMedian: 140, ratio: 0.5),
        ProcedureType(name: csvField("angioplasty, iliac"), kapMedian: 45, ratio: 0.6),
        ProcedureType(name: csvField("angioplasty, femoro-popliteal"), kapMedian: 25, ratio: 0.7),
        ProcedureType(name: csvField("carotid stenting"), kapMedian: 50, ratio: 0.45),
    ], rooms: (1...10).map { csvField("VASC-\($0)") }, share: 0.12),
    Specialty(name: "neuroradiology", types: [
        ProcedureType(name: csvField("cerebral angiography"), kapMedian: 90, ratio: 0.25),
        ProcedureType(name: csvField("aneurysm coiling"), kapMedian: 250, ratio: 0.3),
        ProcedureType(name: csvField("thrombectomy, \"stroke\""), kapMedian: 160, ratio: 0.3),
    ], rooms: (1...6).map { csvField("NEURO-\($0)") }, share: 0.08),
]

/// Each type under `typeVariants` names: the name as is, then "name (site k)".
let specialties = builtInSpecialties.map { sp in
    var sp = sp
    sp.types = sp.types.flatMap { t in
        (1...typeVariants).map { k in
            guard k > 1 else { return t }
            var v = t
            let bare = t.name.first == UInt8(ascii: "\"") ? Array(t.name.dropFirst().dropLast()) : t.name
            v.name = csvField(String(decoding: bare, as: UTF8.self).replacingOccurrences(of: "\"\"", with: "\"") + " (site \(k))")
            return v
        }
    }
    return sp
}

var rng = SplitMix64(state: seed)
// Operators: split between specialties by share, each with a personal dose factor.
var operatorsBySpecialty: [[(id: [UInt8], factor: Double)]] = specialties.map { _ in [] }
let roster = Output(outDir + "/operators.csv")
roster.text("operator_id,specialty,subspecialty,name\n")
for i in 0..<operatorCount {
    let u = Double(i) / Double(operatorCount)
    var acc = 0.0, s = 0
    for (k, sp) in specialties.enumerated() { acc += sp.share; if u < acc { s = k; break } }
    let id = Array("OP-\(String(i + 1).count < 4 ? String(repeating: "0", count: 4 - String(i + 1).count) : "")\(i + 1)".utf8)
    operatorsBySpecialty[s].append((id, exp(0.45 * rng.normal())))
    roster.bytes(id); roster.byte(44); roster.text(specialties[s].name); roster.byte(44)
    if i % 3 != 0 { roster.text("sub-\(i % 5)") }
    roster.byte(44); roster.bytes(csvField("Surname\(i), Given\(i)")); roster.byte(10)
}
roster.close()

// MARK: Rows

let procedures = Output(outDir + "/procedures.csv")
let exposures = Output(outDir + "/exposures.csv")
procedures.text("study_uid,started_at,room,specialty,procedure_type,kap_gycm2,kap_fluoro_gycm2,kap_acq_gycm2,fluoro_time_s,ka_rp_mgy,ref_dosimeter_usv\n")
exposures.text("study_uid,operator_id,dosimeter_id,role,hp10_usv,hp10_fluoro_usv,hp10_acq_usv\n")
let uidPrefix = Array("1.2.826.0.1.3680043.10.543.".utf8)
let specialtyNames = specialties.map { Array($0.name.utf8) }
let lastYear = 2024
let firstDay = daysFromCivil(lastYear - years + 1, 1, 1)
let dayCount = daysFromCivil(lastYear + 1, 1, 1) - firstDay

func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = m > 2 ? m - 3 : m + 9
    let doy = (153 * mp + 2) / 5 + d - 1
    return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}
func civil(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}
@inline(__always) func two(_ o: Output, _ v: Int) { o.byte(UInt8(48 + v / 10)); o.byte(UInt8(48 + v % 10)) }

for n in 0..<procedureCount {
    // Chronological: day grows with n, a few procedures per room and day.
    let day = firstDay + n * dayCount / max(procedureCount, 1)
    let (y, mo, d) = civil(day)
    let u = rng.uniform()
    var acc = 0.0, s = 0
    for (k, sp) in specialties.enumerated() { acc += sp.share; if u < acc { s = k; break } }
    let sp = specialties[s]
    let type = sp.types[rng.below(sp.types.count)]
    let kap = type.kapMedian * exp(0.7 * rng.normal())
    let fluoroShare = 0.3 + 0.4 * rng.uniform()
    let uidTail = n + 1

    procedures.bytes(uidPrefix); procedures.int(uidTail); procedures.byte(44)
    procedures.int(y); procedures.byte(45); two(procedures, mo); procedures.byte(45); two(procedures, d)
    procedures.byte(84); two(procedures, 7 + rng.below(12)); procedures.byte(58); two(procedures, rng.below(60)); procedures.byte(58); two(procedures, rng.below(60))
    procedures.byte(44); procedures.bytes(sp.rooms[rng.below(sp.rooms.count)]); procedures.byte(44)
    procedures.bytes(specialtyNames[s]); procedures.byte(44); procedures.bytes(type.name); procedures.byte(44)
    let kapKnown = rng.below(100) != 0
    if kapKnown { procedures.fixed(kap, 2) }
    procedures.byte(44)
    if kapKnown && rng.below(10) != 0 { procedures.fixed(kap * fluoroShare, 2); procedures.byte(44); procedures.fixed(kap * (1 - fluoroShare), 2) } else { procedures.byte(44) }
    procedures.byte(44); procedures.int(Int(30 + kap * 6 * rng.uniform()))
    procedures.byte(44); if rng.below(20) != 0 { procedures.fixed(kap * 7.5, 1) }
    let ref = kap * (1.5 + rng.uniform())
    let refKnown = rng.below(25) != 0
    procedures.byte(44); if refKnown { procedures.fixed(ref, 2) }
    procedures.byte(10)

    // Operators: a first, and a second for ~80 %.
    let pool = operatorsBySpecialty[s]
    let first = rng.below(pool.count)
    var second = -1
    if rng.below(5) != 0 && pool.count > 1 {
        second = rng.below(pool.count - 1)
        if second >= first { second += 1 }
    }
    for (k, o) in [first, second].enumerated() where o >= 0 {
        let op = pool[o]
        let hp = kap * type.ratio * op.factor * (k == 0 ? 1 : 0.45) * exp(0.5 * rng.normal())
        exposures.bytes(uidPrefix); exposures.int(uidTail); exposures.byte(44)
        exposures.bytes(op.id); exposures.byte(44); exposures.text("D-"); exposures.bytes(op.id); exposures.byte(44)
        if rng.below(50) != 0 { exposures.text(k == 0 ? "first" : "second") }
        exposures.byte(44); exposures.fixed(hp, 2); exposures.byte(44)
        if rng.below(10) != 0 { exposures.fixed(hp * fluoroShare, 2); exposures.byte(44); exposures.fixed(hp * (1 - fluoroShare), 2) } else { exposures.byte(44) }
        exposures.byte(10)
    }
    procedures.flushIfFull()
    exposures.flushIfFull()
}
procedures.close()
exposures.close()
