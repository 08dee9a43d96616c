package org.crmkit.funnel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.crmkit.core.ValidationException;
import org.junit.jupiter.api.Test;

class DayHistogramTest {
    @Test
    void pairsInAnyOrderWithRepeatsAddUp() {
        DayHistogram h = DayHistogram.of(new int[] {5, 1, 5, 3, 9}, new long[] {1, 2, 3, 0, 1});
        assertThat(h.days()).containsExactly(1, 5, 9);
        assertThat(h.counts()).containsExactly(2, 4, 1);
        assertThat(h.count()).isEqualTo(7);
        assertThat(h).isEqualTo(DayHistogram.ofDense(new long[] {0, 2, 0, 0, 0, 4, 0, 0, 0, 1}));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleDays() {
        // observations 1 1 5 5 5 5 9 -> odd: 5; add a 0 -> 0 1 1 5 5 5 5 9 -> (5 + 5) / 2
        DayHistogram h = DayHistogram.of(new int[] {1, 5, 9}, new long[] {2, 4, 1});
        assertThat(h.median()).hasValue(5.0);
        assertThat(DayHistogram.of(new int[] {2, 7}, new long[] {1, 1}).median()).hasValue(4.5);
        assertThat(h.quantile(0.0)).hasValue(1);
        assertThat(h.quantile(0.25)).hasValue(1);
        assertThat(h.quantile(0.3)).hasValue(5);
        assertThat(h.quantile(1.0)).hasValue(9);
        assertThat(DayHistogram.empty().median()).isEmpty();
    }

    @Test
    void mergeAddsCountsOfEqualDays() {
        DayHistogram a = DayHistogram.of(new int[] {1, 4}, new long[] {1, 2});
        DayHistogram b = DayHistogram.of(new int[] {0, 4, 6}, new long[] {3, 1, 1});
        assertThat(a.merge(b)).isEqualTo(DayHistogram.of(new int[] {0, 1, 4, 6}, new long[] {3, 1, 3, 1}));
        assertThat(a.merge(DayHistogram.empty())).isSameAs(a);
    }

    @Test
    void negativeDaysAndMismatchedArraysAreRejected() {
        assertThatThrownBy(() -> DayHistogram.of(new int[] {-1}, new long[] {1}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("days[0]");
        assertThatThrownBy(() -> DayHistogram.of(new int[] {1}, new long[] {1, 2}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("counts.length");
        assertThatThrownBy(() -> DayHistogram.empty().quantile(1.5)).isInstanceOf(ValidationException.class);
    }

    @Test
    void durationSummaryKeepsAnExactMeanAndADayHistogram() {
        DurationSummary s = DurationSummary.ofSeconds(86_400 + 43_200).merge(DurationSummary.ofSeconds(3 * 86_400));
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.meanDays()).hasValue(2.25);
        assertThat(s.medianDays()).hasValue(2.0); // whole days 1 and 3: below the exact 2.25 by less than a day
        assertThatThrownBy(() -> new DurationSummary(2, 10, DayHistogram.of(1)))
                .isInstanceOf(ValidationException.class);
    }
}
