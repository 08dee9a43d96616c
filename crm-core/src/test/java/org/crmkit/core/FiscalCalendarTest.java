package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.rejected;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiscalCalendarTest {
    private static final FiscalCalendar JAN = FiscalCalendar.calendarYear(ZoneOffset.UTC);
    private static final FiscalCalendar APRIL = FiscalCalendar.of(Month.APRIL, ZoneOffset.UTC);
    private static final FiscalCalendar APRIL_START_NAMED =
            new FiscalCalendar(Month.APRIL, ZoneOffset.UTC, FiscalCalendar.Naming.START_YEAR);

    private static void period(Period p, String start, String end, String label) {
        assertThat(p.start()).isEqualTo(LocalDate.parse(start));
        assertThat(p.end()).isEqualTo(LocalDate.parse(end));
        assertThat(p.label()).isEqualTo(label);
    }

    @Test
    void januaryStartFollowsTheCalendarYear() {
        LocalDate d = LocalDate.of(2026, 5, 17);
        period(JAN.periodOf(PeriodType.MONTH, d), "2026-05-01", "2026-06-01", "2026-05");
        period(JAN.periodOf(PeriodType.QUARTER, d), "2026-04-01", "2026-07-01", "FY2026 Q2");
        period(JAN.periodOf(PeriodType.HALF_YEAR, d), "2026-01-01", "2026-07-01", "FY2026 H1");
        period(JAN.periodOf(PeriodType.YEAR, d), "2026-01-01", "2027-01-01", "FY2026");
        period(JAN.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 12, 31)), "2026-10-01", "2027-01-01", "FY2026 Q4");
        assertThat(new FiscalCalendar(Month.JANUARY, ZoneOffset.UTC, FiscalCalendar.Naming.START_YEAR)
                .periodOf(PeriodType.YEAR, d).label()).isEqualTo("FY2026");
    }

    @Test
    void aprilStartNamedByEndYear() {
        period(APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 4, 1)), "2026-04-01", "2026-07-01", "FY2027 Q1");
        period(APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 3, 31)), "2026-01-01", "2026-04-01", "FY2026 Q4");
        period(APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2027, 2, 10)), "2027-01-01", "2027-04-01", "FY2027 Q4");
        period(APRIL.periodOf(PeriodType.HALF_YEAR, LocalDate.of(2026, 11, 1)), "2026-10-01", "2027-04-01",
                "FY2027 H2");
        period(APRIL.periodOf(PeriodType.HALF_YEAR, LocalDate.of(2026, 9, 30)), "2026-04-01", "2026-10-01",
                "FY2027 H1");
        period(APRIL.periodOf(PeriodType.YEAR, LocalDate.of(2026, 6, 1)), "2026-04-01", "2027-04-01", "FY2027");
        period(APRIL.periodOf(PeriodType.MONTH, LocalDate.of(2026, 6, 1)), "2026-06-01", "2026-07-01", "2026-06");
        assertThat(APRIL.fiscalYearStartOf(LocalDate.of(2026, 3, 31))).isEqualTo(LocalDate.of(2025, 4, 1));
    }

    @Test
    void aprilStartNamedByStartYear() {
        period(APRIL_START_NAMED.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 4, 1)), "2026-04-01", "2026-07-01",
                "FY2026 Q1");
        period(APRIL_START_NAMED.periodOf(PeriodType.YEAR, LocalDate.of(2027, 3, 31)), "2026-04-01", "2027-04-01",
                "FY2026");
        period(APRIL_START_NAMED.periodOf(PeriodType.HALF_YEAR, LocalDate.of(2027, 1, 1)), "2026-10-01", "2027-04-01",
                "FY2026 H2");
    }

    @Test
    void everyDayFallsInExactlyTheQuarterThatContainsIt() {
        qt().withExamples(300).forAll(integers().between(0, 20_000), integers().between(1, 12))
                .checkAssert((day, month) -> {
                    FiscalCalendar cal = FiscalCalendar.of(Month.of(month), ZoneOffset.UTC);
                    LocalDate d = LocalDate.of(2000, 1, 1).plusDays(day);
                    for (PeriodType type : List.of(PeriodType.MONTH, PeriodType.QUARTER, PeriodType.HALF_YEAR,
                            PeriodType.YEAR)) {
                        Period p = cal.periodOf(type, d);
                        assertThat(p.contains(d)).isTrue();
                        assertThat(p.start().plusMonths(type.months())).isEqualTo(p.end());
                        assertThat(cal.next(p).start()).isEqualTo(p.end());
                        assertThat(cal.previous(p).end()).isEqualTo(p.start());
                    }
                });
    }

    @Test
    void periodsCoverARangeContiguously() {
        List<Period> qs = JAN.periods(PeriodType.QUARTER, LocalDate.of(2026, 2, 15), LocalDate.of(2026, 8, 1));
        assertThat(qs).extracting(Period::label).containsExactly("FY2026 Q1", "FY2026 Q2", "FY2026 Q3");
        qt().withExamples(200).forAll(integers().between(0, 5000), integers().between(0, 800))
                .checkAssert((start, length) -> {
                    LocalDate from = LocalDate.of(2010, 1, 1).plusDays(start);
                    LocalDate to = from.plusDays(length);
                    List<Period> ps = APRIL.periods(PeriodType.MONTH, from, to);
                    assertThat(ps.get(0).contains(from)).isTrue();
                    assertThat(ps.get(ps.size() - 1).contains(to)).isTrue();
                    for (int i = 1; i < ps.size(); i++) {
                        assertThat(ps.get(i).start()).isEqualTo(ps.get(i - 1).end());
                    }
                });
        rejected(() -> JAN.periods(PeriodType.MONTH, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 1, 31)), "to",
                "2026-01-31");
    }

    @Test
    void periodOfAnInstantUsesTheCalendarsZone() {
        Instant lateOn31March = Instant.parse("2026-03-31T23:30:00Z");
        assertThat(JAN.periodOf(PeriodType.QUARTER, lateOn31March).label()).isEqualTo("FY2026 Q1");
        FiscalCalendar berlin = FiscalCalendar.calendarYear(ZoneId.of("Europe/Berlin"));
        assertThat(berlin.periodOf(PeriodType.QUARTER, lateOn31March).label()).isEqualTo("FY2026 Q2");
        assertThat(berlin.dateOf(lateOn31March)).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(berlin.today(new MutableClock(lateOn31March))).isEqualTo(LocalDate.of(2026, 4, 1));
        FiscalCalendar newYork = FiscalCalendar.calendarYear(ZoneId.of("America/New_York"));
        assertThat(newYork.periodOf(PeriodType.MONTH, Instant.parse("2026-04-01T02:00:00Z")).label())
                .isEqualTo("2026-03");
    }

    @Test
    void customPeriodsAreNotCut() {
        rejected(() -> JAN.periodOf(PeriodType.CUSTOM, LocalDate.of(2026, 1, 1)), "type", "CUSTOM");
        rejected(() -> new FiscalCalendar(Month.JANUARY, null, FiscalCalendar.Naming.END_YEAR), "zone", "null");
    }
}
