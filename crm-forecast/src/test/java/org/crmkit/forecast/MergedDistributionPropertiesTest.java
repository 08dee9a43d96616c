package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.forecast.Deals.APRIL;
import static org.crmkit.forecast.Deals.config;
import static org.crmkit.forecast.Deals.engine;
import static org.crmkit.forecast.Deals.open;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.junit.jupiter.api.Test;

/**
 * The revenue distribution from merged per-owner parts: the normal method's percentiles are
 * within its stated Berry–Esseen bound of the exact distribution of all the node's deals at
 * once, and a node's distribution is the same whichever partition of owners it is merged from.
 */
class MergedDistributionPropertiesTest {
    private static final LocalDate AUG = LocalDate.of(2026, 8, 10);
    private static final LocalDate AS_OF = LocalDate.of(2026, 8, 15);
    private static final Period Q2 = APRIL.periodOf(PeriodType.QUARTER, AUG);

    /** 10..40 open deals of whole euros 1..300 over 1..4 owners, probabilities 5..95 %. */
    private static List<Opportunity> deals(long seed) {
        Random r = new Random(seed);
        int n = 10 + r.nextInt(31);
        List<Opportunity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(open("d" + i, "m" + r.nextInt(4), 5 + r.nextInt(91), (1 + r.nextInt(300)) + ".00", AUG));
        }
        return out;
    }

    /** The exact probability that the sum is at most x (whole euros), by dynamic programming over the deals. */
    private static double cdf(List<Opportunity> deals, double x) {
        int total = 0;
        for (Opportunity o : deals) {
            total += o.amount().orElseThrow().getNumber().intValueExact();
        }
        double[] p = new double[total + 1];
        p[0] = 1;
        int reach = 0;
        for (Opportunity o : deals) {
            int a = o.amount().orElseThrow().getNumber().intValueExact();
            double w = o.probability() / 100.0;
            for (int s = reach; s >= 0; s--) {
                p[s + a] += p[s] * w;
                p[s] *= 1 - w;
            }
            reach += a;
        }
        double c = 0;
        for (int s = 0; s <= Math.min(total, (int) Math.floor(x + 1e-9)); s++) {
            c += p[s];
        }
        return c;
    }

    @Test
    void normalPercentilesLieWithinTheirBoundOfTheExactDistribution() {
        ForecastEngine normal = engine(config().drawLimit(0).build());
        qt().withExamples(60).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
            List<Opportunity> all = deals(seed);
            RevenueDistribution d = normal.snapshot(all, AS_OF).distribution(Q2);
            assertThat(d.method()).isEqualTo(RevenueDistribution.Method.NORMAL);
            double bound = d.errorBound();
            assertThat(bound).isBetween(0.0, 1.0);
            double[] q = {0.10, 0.50, 0.90};
            BigDecimal[] p = {d.p10(), d.p50(), d.p90()};
            for (int i = 0; i < 3; i++) {
                // the normal CDF at its own quantile is q; the true one is within the bound of it
                double x = p[i].doubleValue();
                double below = cdf(all, x - 0.005);
                double atOrBelow = cdf(all, x);
                assertThat(atOrBelow).as("seed %d, P%d = %s, bound %.4f", seed, (int) (q[i] * 100), p[i], bound)
                        .isGreaterThanOrEqualTo(q[i] - bound - 1e-9);
                assertThat(below).as("seed %d, P%d = %s, bound %.4f", seed, (int) (q[i] * 100), p[i], bound)
                        .isLessThanOrEqualTo(q[i] + bound + 1e-9);
            }
        });
    }

    @Test
    void aNodeIsTheSameWhicheverPartitionOfOwnersItIsMergedFrom() {
        ForecastEngine normal = engine(config().drawLimit(0).build());
        qt().withExamples(60).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
            List<Opportunity> all = deals(seed);
            ForecastSnapshot s = normal.snapshot(all, AS_OF);
            // the same deals, all under one owner: one part instead of four
            List<Opportunity> oneOwner = new ArrayList<>();
            for (Opportunity o : all) {
                oneOwner.add(o.toBuilder().owner(ManagerId.of("m0")).build());
            }
            RevenueDistribution merged = s.distribution(Q2);
            RevenueDistribution whole = normal.snapshot(oneOwner, AS_OF).distribution(Q2);
            assertThat(merged).isEqualTo(whole);
        });
    }
}
