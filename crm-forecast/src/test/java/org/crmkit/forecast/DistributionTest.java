package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.forecast.Deals.APRIL;
import static org.crmkit.forecast.Deals.config;
import static org.crmkit.forecast.Deals.engine;
import static org.crmkit.forecast.Deals.open;
import static org.crmkit.forecast.Deals.won;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.junit.jupiter.api.Test;

class DistributionTest {
    private static final LocalDate AUG = LocalDate.of(2026, 8, 10);
    private static final LocalDate AS_OF = LocalDate.of(2026, 8, 15);
    private static final Period Q2 = APRIL.periodOf(PeriodType.QUARTER, AUG);

    @Test
    void smallSetIsEnumeratedExactly() {
        List<Opportunity> opps = List.of(open("a", "m1", 50, "100.00", AUG), open("b", "m1", 50, "200.00", AUG),
                won("w", "m1", "50.00", "EUR", LocalDate.of(2026, 7, 2)));
        RevenueDistribution d = engine(config().build()).snapshot(opps, AS_OF).distribution(Q2);
        // sums 0, 100, 200, 300 each with probability 1/4, plus 50 won
        assertThat(d.method()).isEqualTo(RevenueDistribution.Method.EXACT);
        assertThat(d.opportunities()).isEqualTo(2);
        assertThat(d.actual()).isEqualByComparingTo("50");
        assertThat(d.mean()).isEqualByComparingTo("200");
        assertThat(d.variance()).isEqualByComparingTo("12500");
        assertThat(d.p10()).isEqualByComparingTo("50");
        assertThat(d.p50()).isEqualByComparingTo("150");
        assertThat(d.p90()).isEqualByComparingTo("350");
        assertThat(d.trials()).isZero();
        assertThat(d.seed()).isNull();
    }

    @Test
    void equalAmountsGiveABinomialExactlyEvenForManyDeals() {
        List<Opportunity> opps = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            opps.add(open("d" + i, "m1", 30, "10.00", AUG));
        }
        RevenueDistribution d = engine(config().build()).snapshot(opps, AS_OF).distribution(Q2);
        assertThat(d.method()).isEqualTo(RevenueDistribution.Method.EXACT);
        assertThat(d.mean()).isEqualByComparingTo("3000");
        // 1000 * 10^2 * 0.3 * 0.7
        assertThat(d.variance()).isEqualByComparingTo("21000");
        // Binomial(1000, 0.3) has median 300
        assertThat(d.p50()).isEqualByComparingTo("3000");
    }

    @Test
    void largeSetIsSampledWithTheSeedWrittenOnTheResult() {
        List<Opportunity> opps = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            opps.add(open("d" + i, "m" + (i % 7), 10 + i % 80, (100 + i * 37) + ".00", AUG));
        }
        ForecastEngine e = engine(config().monteCarloTrials(5_000).seed(7).build());
        RevenueDistribution d = e.snapshot(opps, AS_OF).distribution(Q2);
        assertThat(d.method()).isEqualTo(RevenueDistribution.Method.MONTE_CARLO);
        assertThat(d.trials()).isEqualTo(5_000);
        assertThat(d.seed()).isEqualTo(7L);
        assertThat(d.p10()).isLessThanOrEqualTo(d.p50());
        assertThat(d.p50()).isLessThanOrEqualTo(d.p90());
        assertThat(e.snapshot(opps, AS_OF).distribution(Q2)).isEqualTo(d);
        assertThat(d.toString()).contains("MONTE_CARLO").contains("5000 trials").contains("seed 7");
    }

    @Test
    void certainAndImpossibleDealsDoNotSpreadTheDistribution() {
        List<Opportunity> opps = List.of(open("a", "m1", 100, "100.00", AUG), open("b", "m1", 1, "0.00", AUG));
        RevenueDistribution d = engine(config().build()).snapshot(opps, AS_OF).distribution(Q2);
        assertThat(d.variance()).isEqualByComparingTo("0");
        assertThat(d.p10()).isEqualByComparingTo("100");
        assertThat(d.p90()).isEqualByComparingTo("100");
    }

    @Test
    void foreignCurrencyDealEntersAtTheOpenRate() {
        List<Opportunity> opps = List.of(Deals.open("u", "m1", org.crmkit.core.SalesProcesses.CLOSING, 50, "1000.00",
                "USD", AUG), open("e", "m1", 50, "0.01", AUG));
        RevenueDistribution d = engine(config().build()).snapshot(opps, AS_OF).distribution(Q2);
        // USD->EUR is 0.75 on the as-of date: 750.00 EUR at 50 %, plus 0.01 EUR at 50 %
        assertThat(d.mean()).isEqualByComparingTo("375.005");
        assertThat(d.variance()).isEqualByComparingTo("140625.000025");
        assertThat(d.p50()).isEqualByComparingTo("0.01");
        assertThat(d.p90()).isEqualByComparingTo("750.01");
    }
}
