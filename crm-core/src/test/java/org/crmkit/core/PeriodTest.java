package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.rejected;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PeriodTest {
    private static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
    private static final LocalDate MAR_31 = LocalDate.of(2026, 3, 31);
    private static final LocalDate APR_1 = LocalDate.of(2026, 4, 1);

    @Test
    void customPeriodTakesItsFirstAndLastDay() {
        Period p = Period.inclusive(JAN_1, MAR_31);
        assertThat(p.type()).isEqualTo(PeriodType.CUSTOM);
        assertThat(p.label()).isEqualTo("2026-01-01..2026-03-31");
        assertThat(p.lastDay()).isEqualTo(MAR_31);
        assertThat(p.end()).isEqualTo(APR_1);
        assertThat(p.days()).isEqualTo(90);
        assertThat(p).hasToString("2026-01-01..2026-03-31");
    }

    @Test
    void theLastDayOfAQuarterPassedAsTheEndIsCounted() {
        // the trap of an exclusive end: the quarter's last day must be inside
        Period q2 = Period.inclusive(APR_1, LocalDate.of(2026, 6, 30));
        assertThat(q2.contains(LocalDate.of(2026, 6, 30))).isTrue();
        assertThat(q2.contains(LocalDate.of(2026, 7, 1))).isFalse();
        Period calendarQ2 = FiscalCalendar.calendarYear(java.time.ZoneOffset.UTC)
                .periodOf(PeriodType.QUARTER, LocalDate.of(2026, 5, 15));
        assertThat(q2.start()).isEqualTo(calendarQ2.start());
        assertThat(q2.end()).isEqualTo(calendarQ2.end());
    }

    @Test
    void aSingleDayIsAPeriod() {
        Period day = Period.inclusive(APR_1, APR_1);
        assertThat(day.days()).isEqualTo(1);
        assertThat(day.contains(APR_1)).isTrue();
    }

    @Test
    void startIsInsideEndIsOutside() {
        Period p = Period.inclusive(JAN_1, MAR_31);
        assertThat(p.contains(JAN_1)).isTrue();
        assertThat(p.contains(MAR_31)).isTrue();
        assertThat(p.contains(APR_1)).isFalse();
        assertThat(p.contains(JAN_1.minusDays(1))).isFalse();
    }

    @Test
    void lastDayMustNotBeBeforeTheFirst() {
        rejected(() -> Period.inclusive(APR_1, MAR_31), "period.last", "2026-03-31");
        rejected(() -> new Period(PeriodType.MONTH, APR_1, APR_1, "x"), "period.end", "2026-04-01");
        rejected(() -> new Period(PeriodType.MONTH, JAN_1, APR_1, " "), "period.label", "' '");
        rejected(() -> new Period(null, JAN_1, APR_1, "x"), "period.type", "null");
        rejected(() -> Period.inclusive(null, APR_1), "period.first", "null");
    }

    @Test
    void periodsOrderByStartThenEnd() {
        Period q1 = Period.inclusive(JAN_1, MAR_31);
        Period jan = Period.inclusive(JAN_1, LocalDate.of(2026, 1, 31));
        Period q2 = Period.inclusive(APR_1, LocalDate.of(2026, 6, 30));
        assertThat(jan).isLessThan(q1);
        assertThat(q1).isLessThan(q2);
        assertThat(q1.compareTo(Period.inclusive(JAN_1, MAR_31))).isZero();
    }
}
