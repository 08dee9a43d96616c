package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.rejected;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PeriodTest {
    private static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
    private static final LocalDate APR_1 = LocalDate.of(2026, 4, 1);

    @Test
    void customPeriodIsLabelledWithItsInclusiveEnd() {
        Period p = Period.custom(JAN_1, APR_1);
        assertThat(p.type()).isEqualTo(PeriodType.CUSTOM);
        assertThat(p.label()).isEqualTo("2026-01-01..2026-03-31");
        assertThat(p.lastDay()).isEqualTo(LocalDate.of(2026, 3, 31));
        assertThat(p.days()).isEqualTo(90);
        assertThat(p).hasToString("2026-01-01..2026-03-31");
    }

    @Test
    void startIsInsideEndIsOutside() {
        Period p = Period.custom(JAN_1, APR_1);
        assertThat(p.contains(JAN_1)).isTrue();
        assertThat(p.contains(LocalDate.of(2026, 3, 31))).isTrue();
        assertThat(p.contains(APR_1)).isFalse();
        assertThat(p.contains(JAN_1.minusDays(1))).isFalse();
    }

    @Test
    void endMustBeAfterStart() {
        rejected(() -> Period.custom(APR_1, APR_1), "period.end", "2026-04-01");
        rejected(() -> Period.custom(APR_1, JAN_1), "period.end", "2026-01-01");
        rejected(() -> new Period(PeriodType.MONTH, JAN_1, APR_1, " "), "period.label", "' '");
        rejected(() -> new Period(null, JAN_1, APR_1, "x"), "period.type", "null");
        rejected(() -> Period.custom(null, APR_1), "period.start", "null");
    }

    @Test
    void periodsOrderByStartThenEnd() {
        Period q1 = Period.custom(JAN_1, APR_1);
        Period jan = Period.custom(JAN_1, LocalDate.of(2026, 2, 1));
        Period q2 = Period.custom(APR_1, LocalDate.of(2026, 7, 1));
        assertThat(jan).isLessThan(q1);
        assertThat(q1).isLessThan(q2);
        assertThat(q1.compareTo(Period.custom(JAN_1, APR_1))).isZero();
    }
}
