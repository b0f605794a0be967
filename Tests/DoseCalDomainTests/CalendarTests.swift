import Testing
@testable import DoseCalDomain

@Suite struct CalendarTests {
    // Day numbers from Python's datetime: (date - date(1970,1,1)).days
    @Test(arguments: [("1970-01-01", 0), ("2000-03-01", 11017), ("2024-12-31", 20088), ("1969-12-31", -1), ("2100-02-28", 47540)])
    func dayNumbers(text: String, expected: Int) throws {
        let d = try #require(CivilDate(iso: text))
        #expect(d.dayNumber == expected)
        #expect(CivilDate(dayNumber: expected) == d)
        #expect(d.description == text)
    }

    @Test func roundTripAndConsecutive() {
        var previous = CivilDate(dayNumber: -40_000)
        for n in -39_999...80_000 {
            let d = CivilDate(dayNumber: n)
            #expect(d.dayNumber == n)
            #expect(previous < d)
            if d.day == 1 { #expect(previous.isLastDayOfMonth) } else { #expect(d.day == previous.day + 1) }
            previous = d
        }
    }

    @Test(arguments: ["2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "24-01-01", "2024/01/01", "2024-1-01", ""])
    func invalidDates(text: String) {
        #expect(CivilDate(iso: text) == nil)
    }

    @Test(arguments: [
        ("2024-03-05T09:41:00", "2024-03-05"), ("2024-03-05", "2024-03-05"), ("2024-03-05 09:41", "2024-03-05"),
        ("2024-03-05T23:59:60.5Z", "2024-03-05"), ("2024-03-05T09:41:00+01:00", "2024-03-05"),
        ("2024-03-05T09:41:00-0500", "2024-03-05"),
    ])
    func timestamps(text: String, date: String) {
        #expect(parseTimestampDate(text)?.description == date)
    }

    @Test(arguments: ["2024-03-05T24:00", "2024-03-05T09", "2024-03-05X09:41", "2024-03-05T09:41:00+1", "2024-02-30T10:00", "2024-03-05T09:41:00.", "2024-03-05T09:41:00Zjunk"])
    func badTimestamps(text: String) {
        #expect(parseTimestampDate(text) == nil)
    }

    @Test func periodShareOfYear() throws {
        let janSep = try Period(from: #require(CivilDate(iso: "2024-01-01")), to: #require(CivilDate(iso: "2024-09-30")))
        #expect(janSep.wholeMonths == 9)
        #expect(janSep.shareOfYear == 0.75)
        let limits = AnnualDoseLimits.standard.notification(for: janSep)
        #expect(limits.first == 4.5)
        #expect(limits.second == 15)

        let twoMonths = try Period(from: #require(CivilDate(iso: "2024-11-01")), to: #require(CivilDate(iso: "2024-12-31")))
        let n2 = AnnualDoseLimits.standard.notification(for: twoMonths)
        #expect(abs(n2.first - 1) < 1e-15)
        #expect(abs(n2.second - 10.0 / 3) < 1e-15)

        let feb = try Period(from: #require(CivilDate(iso: "2024-02-01")), to: #require(CivilDate(iso: "2024-02-29")))
        #expect(feb.wholeMonths == 1)

        let odd = try Period(from: #require(CivilDate(iso: "2024-01-15")), to: #require(CivilDate(iso: "2024-02-14")))
        #expect(odd.wholeMonths == nil)
        #expect(odd.days == 31)
        #expect(odd.shareOfYear == 31.0 / 365)

        let year = try Period(from: #require(CivilDate(iso: "2024-01-01")), to: #require(CivilDate(iso: "2024-12-31")))
        #expect(year.days == 366)
        #expect(year.shareOfYear == 1)
    }

    @Test func periodRejectsReversedEnds() throws {
        let a = try #require(CivilDate(iso: "2024-02-01")), b = try #require(CivilDate(iso: "2024-01-01"))
        #expect(throws: DomainError.self) { try Period(from: a, to: b) }
    }
}
