package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.forecast.Deals.APRIL;
import static org.crmkit.forecast.Deals.config;
import static org.crmkit.forecast.Deals.engine;
import static org.crmkit.forecast.Deals.open;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastReference;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.junit.jupiter.api.Test;

/**
 * {@link ForecastSnapshot#distributions}: every node's distribution is the one asked for alone,
 * whatever the draw limit makes of it, while the deals of all the drawn nodes are read from the
 * source at most once.
 */
class BatchedDistributionsTest {
    private static final LocalDate AUG = LocalDate.of(2026, 8, 10);
    private static final LocalDate AS_OF = LocalDate.of(2026, 8, 15);
    private static final Period Q2 = APRIL.periodOf(PeriodType.QUARTER, AUG);

    /** Six managers in three groups of a division; m2 sits in two groups. */
    private static final OrgStructure ORG = org();

    private static OrgStructure org() {
        OrgStructure.Builder b = OrgStructure.builder().unit(UnitId.of("div"), "Division", UnitKind.DIVISION);
        for (int i = 0; i < 6; i++) {
            b.manager(ManagerId.of("m" + i), "Manager " + i);
        }
        for (int g = 0; g < 3; g++) {
            UnitId group = UnitId.of("g" + g);
            b.unit(group, "Group " + g, UnitKind.GROUP).link(group, UnitId.of("div"));
            b.member(ManagerId.of("m" + (2 * g)), group).member(ManagerId.of("m" + (2 * g + 1)), group);
        }
        return b.member(ManagerId.of("m2"), UnitId.of("g0")).build();
    }

    private static final List<OrgNodeId> NODES = List.of(UnitId.of("div"), UnitId.of("g0"), UnitId.of("g1"),
            UnitId.of("g2"), ManagerId.of("m5"));

    /** 5..60 open deals in August over the six managers, whole euros 1..500, probabilities 5..95 %. */
    private static List<Opportunity> deals(long seed) {
        Random r = new Random(seed);
        int n = 5 + r.nextInt(56);
        List<Opportunity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(open("d" + i, "m" + r.nextInt(6), 5 + r.nextInt(91), (1 + r.nextInt(500)) + ".00", AUG));
        }
        return out;
    }

    /** A real source that counts the drill-downs asked of it. */
    private static final class Counting implements ForecastSource {
        private final ForecastSource inner;
        private final AtomicInteger drillDowns = new AtomicInteger();

        Counting(ForecastSource inner) {
            this.inner = inner;
        }

        @Override
        public OwnerAggregates<ForecastStats> forecast(ForecastQuery query) {
            return inner.forecast(query);
        }

        @Override
        public Stream<ForecastDeal> forecastDeals(ForecastQuery query, Map<CurrencyUnit, Long> minValue) {
            drillDowns.incrementAndGet();
            return inner.forecastDeals(query, minValue);
        }
    }

    @Test
    void eachNodeIsTheDistributionAskedForAloneAndTheDealsAreReadOnce() {
        qt().withExamples(50).forAll(longs().between(1, 1_000_000), integers().between(0, 40))
                .checkAssert((seed, drawLimit) -> {
                    ForecastEngine e = engine(config().periodType(PeriodType.QUARTER).drawLimit(drawLimit).build());
                    Counting source = new Counting(ForecastReference.source(deals(seed)));
                    ForecastSnapshot s = e.snapshot(source, AS_OF, Q2);
                    int before = source.drillDowns.get();
                    Map<OrgNodeId, RevenueDistribution> batch = s.distributions(ORG, NODES, Q2);
                    assertThat(source.drillDowns.get() - before).as("drill-downs of one batch").isLessThanOrEqualTo(1);
                    assertThat(batch.keySet()).containsExactlyElementsOf(NODES);
                    for (OrgNodeId node : NODES) {
                        assertThat(batch.get(node)).as("seed %d, draw limit %d, %s", seed, drawLimit, node)
                                .isEqualTo(s.distribution(ORG, node, Q2));
                    }
                });
    }

    @Test
    void aBatchMixesDrawnAndNormalNodesByTheirOwnCounts() {
        List<Opportunity> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add(open("a" + i, "m0", 40, (100 + i) + ".00", AUG)); // group g0 (with m1, m2): 12 deals
        }
        all.add(open("b", "m4", 60, "300.00", AUG)); // group g2: one deal
        ForecastSnapshot s = engine(config().periodType(PeriodType.QUARTER).drawLimit(5).build())
                .snapshot(all, AS_OF);
        Map<OrgNodeId, RevenueDistribution> batch = s.distributions(ORG,
                List.of(UnitId.of("g0"), UnitId.of("g2"), UnitId.of("g1"), UnitId.of("g0")), Q2);
        assertThat(batch.keySet()).containsExactly(UnitId.of("g0"), UnitId.of("g2"), UnitId.of("g1"));
        assertThat(batch.get(UnitId.of("g0")).method()).isEqualTo(RevenueDistribution.Method.NORMAL);
        assertThat(batch.get(UnitId.of("g2")).method()).isEqualTo(RevenueDistribution.Method.EXACT);
        assertThat(batch.get(UnitId.of("g2")).p90()).isEqualByComparingTo("300.00");
        assertThat(batch.get(UnitId.of("g1")).opportunities()).isZero();
    }

    @Test
    void anUnknownNodeIsNamed() {
        ForecastSnapshot s = engine(config().build()).snapshot(deals(7), AS_OF);
        assertThatThrownBy(() -> s.distributions(ORG, List.of(UnitId.of("g0"), UnitId.of("nowhere")), Q2))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nowhere");
    }
}
