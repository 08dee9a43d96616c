package org.crmkit.funnel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.money.CurrencyUnit;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.spi.FunnelStats.Count;
import org.crmkit.funnel.spi.FunnelStats.Duration;
import org.crmkit.funnel.spi.FunnelStats.Money;
import org.junit.jupiter.api.Test;

class FunnelStatsTest {
    static final CurrencyUnit EUR = Amounts.currency("EUR");
    static final CurrencyUnit USD = Amounts.currency("USD");

    static FunnelStats one(CurrencyUnit c, long amount, long cycleSeconds, String reason) {
        return FunnelStats.builder(3).addCount(Count.COUNT, 1).addCount(Count.WON, 1).addCount(Count.REACHED, 0, 1)
                .addCount(Count.WON_REACHED, 0, 1).addMinor(Money.WON_REVENUE, c, amount)
                .addMinor(Money.REACHED_AMOUNT, 0, c, amount).addDuration(Duration.CYCLE, 0, cycleSeconds)
                .addDuration(Duration.WON_CYCLE, 0, cycleSeconds).addDuration(Duration.TIME_IN_STAGE, 1, 3_600)
                .addClose(OpportunityStatus.WON, reason, null, c, 1, amount).build();
    }

    @Test
    void statsAddUpAndSubtractExactly() {
        FunnelStats a = one(EUR, 1_000, 86_400 * 3, "price");
        FunnelStats b = one(USD, 250, 86_400 * 10 + 5, null);
        FunnelStats sum = a.plus(b);
        assertThat(sum.count()).isEqualTo(2);
        assertThat(sum.currencies()).containsExactly(EUR, USD);
        assertThat(sum.minor(Money.WON_REVENUE, EUR)).isEqualTo(1_000);
        assertThat(sum.minor(Money.WON_REVENUE, USD)).isEqualTo(250);
        assertThat(sum.duration(Duration.CYCLE).count()).isEqualTo(2);
        assertThat(sum.duration(Duration.CYCLE).medianDays()).hasValue(6.5);
        assertThat(sum.byReason()).containsOnlyKeys("price", null);
        assertThat(sum.minus(b)).isEqualTo(a);
        assertThat(sum.minus(a).minus(b).isEmpty()).isTrue();
        assertThat(sum.minus(a).minus(b)).isEqualTo(FunnelStats.empty(3));
        assertThat(b.plus(a)).isEqualTo(sum);
    }

    @Test
    void subtractingWhatWasNeverAddedIsRejectedWithTheFigureNamed() {
        FunnelStats a = one(EUR, 1_000, 86_400, "price");
        FunnelStats other = one(EUR, 1_000, 86_400 * 2, "price");
        assertThatThrownBy(() -> a.minus(other)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("duration.minus");
        assertThatThrownBy(() -> FunnelStats.empty(3).minus(a)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("funnelStats.counts");
    }

    @Test
    void aSumBeyondTheLongRangeNamesTheFigureAndTheCurrency() {
        FunnelStats big = FunnelStats.builder(2).addMinor(Money.OPEN_AMOUNT, EUR, Long.MAX_VALUE - 1).build();
        assertThatThrownBy(() -> big.plus(big)).isInstanceOf(AmountOverflowException.class)
                .hasMessageContaining("open amount (EUR)");
    }

    @Test
    void figuresAreCheckedAgainstTheirShape() {
        FunnelStats s = FunnelStats.empty(2);
        assertThatThrownBy(() -> s.count(Count.REACHED)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> s.count(Count.REACHED, 2)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("stage");
        assertThatThrownBy(() -> s.plus(FunnelStats.empty(3))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("openStages");
        assertThat(s.minor(Money.OPEN_AMOUNT, EUR)).isZero();
    }
}
