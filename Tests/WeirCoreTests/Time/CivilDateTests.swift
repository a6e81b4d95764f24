import Testing
import WeirCore

/// Day numbers and calendar dates, checked against a day-by-day calendar walk.
struct CivilDateTests {
    @Test func everyDayFrom1900To2100RoundTrips() {
        let first = CivilDate.daysSinceEpoch(year: 1900, month: 1, day: 1)
        let last = CivilDate.daysSinceEpoch(year: 2100, month: 12, day: 31)
        #expect(last - first + 1 == 73_414)  // 201 years, 49 of them leap years
        var (year, month, day) = (1900, 1, 1)
        var firstMismatch: String?
        for n in first...last where firstMismatch == nil {
            let c = CivilDate.components(ofDay: n)
            if c != (year, month, day) || CivilDate.daysSinceEpoch(year: year, month: month, day: day) != n {
                firstMismatch = "day \(n): got \(c), walked to \(year)-\(month)-\(day)"
            }
            let iso = CivilDate.isoString(ofDay: n)
            if CivilDate.parseDay(iso) != n { firstMismatch = "day \(n): \(iso) does not parse back" }
            day += 1
            if day > CivilDate.daysInMonth(year: year, month: month) {
                (day, month) = (1, month + 1)
                if month > 12 { (month, year) = (1, year + 1) }
            }
        }
        #expect(firstMismatch == nil)
        #expect((year, month, day) == (2101, 1, 1))
    }

    @Test(arguments: [
        ("1970-01-01", 0), ("1969-12-31", -1), ("2000-03-01", 11_017), ("2024-01-15", 19_737),
        ("2024-02-29", 19_782), ("1900-01-01", -25_567), ("0999-12-31", -354_286),
    ])
    func knownDays(iso: String, day: Int) {
        #expect(CivilDate.parseDay(iso) == day)
        #expect(CivilDate.isoString(ofDay: day) == iso)
    }

    @Test(arguments: [
        "2023-02-29", "2100-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "2024-04-31",
        "2024-1-01", "2024-01-1", "24-01-01", "2024/01/01", "2024-01-01 ", "abcd-ef-gh", "",
    ])
    func parseDayRejects(text: String) {
        #expect(CivilDate.parseDay(text) == nil)
    }

    @Test func daysInMonthFollowsGregorianLeapYears() {
        #expect(CivilDate.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilDate.daysInMonth(year: 2023, month: 2) == 28)
        #expect(CivilDate.daysInMonth(year: 1900, month: 2) == 28)
        #expect(CivilDate.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CivilDate.daysInMonth(year: 2023, month: 4) == 30)
        #expect(CivilDate.daysInMonth(year: 2023, month: 12) == 31)
    }
}
