package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.UnitId;
import org.crmkit.forecast.internal.CumulativeIncidence;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.Test;

/** Invariants of the timing model, the timing forecast and the leading indicator (seeds pinned). */
class TimingPropertiesTest {
    private static DatasetGenerator gen(long seed, int n) {
        return DatasetGenerator.of(GeneratorConfig.builder().opportunities(n).managers(12).hierarchy(2, 1, 2)
                .seed(seed).build());
    }

    private static ForecastEngine engine(DatasetGenerator g) {
        return ForecastEngine.builder(ForecastConfig.builder(g.config().calendar(), g.config().reportingCurrency())
                .build()).processes(g.processes()).exchangeRates(g.exchangeRates()).build();
    }

    @Test
    void wonPlusLostPlusStillOpenIsOneOnEveryDayAndTheCurvesNeverFall() {
        qt().withFixedSeed(18L).withExamples(300)
                .forAll(lists().of(integers().between(0, 3 * 60 - 1)).ofSizeBetween(1, 80))
                .checkAssert(episodes -> {
                    int[][] h = new int[3][60];
                    for (int e : episodes) {
                        h[e % 3][e / 3]++;
                    }
                    CumulativeIncidence c = CumulativeIncidence.estimate(h[0], h[1], h[2]);
                    for (int d = -1; d <= 61; d++) {
                        assertThat(c.won(d) + c.lost(d) + c.survival(d)).isCloseTo(1.0, within(1e-9));
                        assertThat(c.won(d + 1)).isGreaterThanOrEqualTo(c.won(d));
                        assertThat(c.lost(d + 1)).isGreaterThanOrEqualTo(c.lost(d));
                        assertThat(c.survival(d + 1)).isLessThanOrEqualTo(c.survival(d));
                    }
                    assertThat(c.episodes()).isEqualTo(episodes.size());
                });
    }

    @Test
    void aNodesMeasuredForecastIsTheExactSumOfAPartitionOfItsOwners() {
        qt().withFixedSeed(1818L).withExamples(15).forAll(longs().between(1, 10_000), longs().all())
                .checkAssert((seed, split) -> {
                    DatasetGenerator g = gen(seed, 600);
                    List<Opportunity> opps = g.opportunities().toList();
                    TimeToCloseModel m = TimeToCloseModel.fit(g.config().zone(), g.asOf(), g.processes(), opps);
                    TimingForecast tf = engine(g).timingForecast(m, opps, 6);
                    OrgStructure org = g.orgStructure();
                    UnitId root = org.roots().get(0);
                    Set<ManagerId> a = new HashSet<>();
                    Set<ManagerId> b = new HashSet<>();
                    int i = 0;
                    for (ManagerId id : org.membersOf(root)) {
                        ((split >>> (i++ % 64) & 1) == 0 ? a : b).add(id);
                    }
                    MeasuredForecast all = tf.forecast(org, root);
                    MeasuredForecast fa = tf.forecastOf(root, a);
                    MeasuredForecast fb = tf.forecastOf(root, b);
                    assertThat(fa.openDeals() + fb.openDeals()).isEqualTo(all.openDeals());
                    BigDecimal wins = BigDecimal.ZERO;
                    for (int k = 0; k < all.months().size(); k++) {
                        assertThat(fa.months().get(k).expectedRevenue().add(fb.months().get(k).expectedRevenue()))
                                .isEqualByComparingTo(all.months().get(k).expectedRevenue());
                        assertThat(fa.months().get(k).expectedWins().add(fb.months().get(k).expectedWins()))
                                .isEqualByComparingTo(all.months().get(k).expectedWins());
                        wins = wins.add(all.months().get(k).expectedWins());
                    }
                    assertThat(fa.unresolvedRevenue().add(fb.unresolvedRevenue()))
                            .isEqualByComparingTo(all.unresolvedRevenue());
                    // at most one win per open deal
                    assertThat(wins.add(all.expectedWinsLater())).isLessThanOrEqualTo(
                            BigDecimal.valueOf(all.openDeals()));
                });
    }

    @Test
    void leadingIndicatorEntriesAreTheActivityFunnelsStrictCountsAndEachWorkedDealCountsOnce() {
        DatasetGenerator g = gen(7, 3_000);
        List<Opportunity> opps = g.opportunities().toList();
        OrgStructure org = g.orgStructure();
        LocalDate asOf = g.config().asOfDate();
        Period month = g.config().calendar().previous(g.config().calendar().periodOf(PeriodType.MONTH, asOf));
        Instant end = month.end().atStartOfDay(g.config().zone()).toInstant();
        TimeToCloseModel m = TimeToCloseModel.fit(g.config().zone(), end, g.processes(), opps);
        List<OrgNodeId> nodes = new ArrayList<>(org.roots());
        nodes.addAll(org.membersOf(org.roots().get(0)));
        Map<OrgNodeId, LeadingIndicator> li = LeadingIndicator.of(engine(g), m, opps, g.process(), month, org, nodes,
                3);
        FunnelEngine funnel = FunnelEngine.builder().org(org).source(OpportunityColumns.of(opps.stream()))
                .rates(g.exchangeRates()).calendar(g.config().calendar()).clock(Clock.fixed(g.asOf(), g.config().zone()))
                .build();
        FunnelResult activity = funnel.funnel(FunnelQuery.builder(g.process()).nodes(org.roots().get(0))
                .mode(FunnelMode.ACTIVITY).policy(CountingPolicy.STRICT).period(month)
                .reportingCurrency(g.config().reportingCurrency()).build());
        LeadingIndicator company = li.get(org.roots().get(0));
        for (int s = 0; s < activity.stages().size(); s++) {
            assertThat(company.stages().get(s).entries()).as("entries of %s", activity.stage(s).code())
                    .isEqualTo(activity.stage(s).reached());
        }
        assertThat(company.won()).isEqualTo(activity.won());
        assertThat(company.lost()).isEqualTo(activity.lost());
        long furthest = company.stages().stream().mapToLong(StageEntries::furthest).sum();
        assertThat(company.worked()).isGreaterThanOrEqualTo(furthest).isGreaterThan(0);
        assertThat(company.openAtEnd()).isEqualTo(company.outlook().openDeals());
        // the company's indicator is the sum of its managers'
        long worked = 0;
        BigDecimal next = BigDecimal.ZERO;
        for (ManagerId id : org.membersOf(org.roots().get(0))) {
            worked += li.get(id).worked();
            next = next.add(li.get(id).outlook().months().get(0).expectedRevenue());
        }
        assertThat(worked).isEqualTo(company.worked());
        assertThat(next).isEqualByComparingTo(company.outlook().months().get(0).expectedRevenue());
        assertThat(company.outlook().months().get(0).month().start()).isEqualTo(month.end());
    }
}
