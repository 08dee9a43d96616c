package org.crmkit.examples.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.UnitId;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.forecast.NodeForecast;
import org.crmkit.forecast.ProbabilityModels;
import org.crmkit.forecast.RevenueDistribution;
import org.crmkit.forecast.spi.ProbabilityModel;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The forecast engine over the cluster equals the engine over the same opportunities as objects
 * (as {@code ForecastPushdownTest} checks for the JDBC store): the company's roll-up, plan vs
 * actual with large deals, lines, and the distribution of every node (drawn deal by deal below
 * the draw limit, normal above it), with two probability models, over every period and over a
 * window. And answering parses no opportunity: only aggregates and deals come back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastForecastTest {
    private static final DatasetGenerator GEN = DatasetGenerator.of(GeneratorConfig.builder().opportunities(4_000)
            .seed(20261202L).build());
    private final List<Opportunity> opportunities = GEN.opportunities().toList();
    private final OrgStructure org = GEN.orgStructure();
    private DistributedFunnel cluster;
    private HazelcastFunnelSource source;

    @BeforeAll
    void load() throws InterruptedException {
        cluster = DistributedFunnel.start(3);
        HazelcastFunnelSource.load(cluster.opportunities(), opportunities);
        // migrating partitions deserialize entries; the "parses nothing" count needs a settled cluster
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cluster.members().get(0).getPartitionService().isClusterSafe() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(cluster.members().get(0).getPartitionService().isClusterSafe()).as("cluster settled").isTrue();
        source = new HazelcastFunnelSource(cluster.opportunities());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private ForecastEngine engine(ProbabilityModel model, int drawLimit) {
        ForecastConfig config = ForecastConfig.builder(GEN.config().calendar(), GEN.config().reportingCurrency())
                .drawLimit(drawLimit).build();
        return ForecastEngine.builder(config).processes(GEN.processes()).exchangeRates(GEN.exchangeRates())
                .probabilityModel(model).build();
    }

    @Test
    void everyFigureFromTheClusterEqualsTheFigureFromTheObjectsAndNothingIsParsed() {
        LocalDate asOf = GEN.config().asOfDate();
        Period quarter = GEN.config().calendar().periodOf(PeriodType.QUARTER, asOf);
        UnitId company = org.roots().get(0);
        List<OrgNodeId> nodes = nodes(company);
        assertThat(nodes).hasSizeGreaterThan(2);
        for (ProbabilityModel model : List.of(ProbabilityModels.own(), ProbabilityModels.stageDefault())) {
            ForecastEngine engine = engine(model, 400);
            ForecastSnapshot expected = engine.snapshot(opportunities, asOf);
            NodeForecast expectedRollUp = expected.rollUp(org, company, List.of());
            long readsBefore = StoredOpportunity.reads();
            ForecastSnapshot got = engine.snapshot(source, asOf, null);
            assertThat(got.forecast()).as("%s", model.name()).isEqualTo(expected.forecast());
            assertThat(got.rollUp(org, company, List.of())).isEqualTo(expectedRollUp);
            assertThat(got.planVsActual(org, company, quarter, GEN.plans()))
                    .isEqualTo(expected.planVsActual(org, company, quarter, GEN.plans()));
            assertThat(got.lines()).isEqualTo(expected.lines());
            java.util.Set<RevenueDistribution.Method> methods = java.util.EnumSet.noneOf(RevenueDistribution.Method.class);
            for (OrgNodeId node : nodes) {
                RevenueDistribution d = got.distribution(org, node, quarter);
                assertThat(d).as("%s %s", model.name(), node).isEqualTo(expected.distribution(org, node, quarter));
                methods.add(d.method());
            }
            // both paths: the normal law from the aggregate, and draws of the deals the cluster lists
            assertThat(methods).as("%s", model.name()).contains(RevenueDistribution.Method.NORMAL).hasSizeGreaterThan(1);
            // the quarter alone, asked of the cluster with a window, gives the same quarter
            ForecastSnapshot windowed = engine.snapshot(source, asOf, quarter);
            assertThat(windowed.forecast(org, company).periodOrEmpty(quarter))
                    .isEqualTo(expected.forecast(org, company).periodOrEmpty(quarter));
            assertThat(windowed.distribution(org, company, quarter))
                    .isEqualTo(expected.distribution(org, company, quarter));
            assertThat(StoredOpportunity.reads()).as("opportunities parsed while answering").isEqualTo(readsBefore);
        }
        assertThat(engine(ProbabilityModels.own(), 400).snapshot(opportunities, asOf).lines()).isNotEmpty();
    }

    private List<OrgNodeId> nodes(UnitId company) {
        List<OrgNodeId> out = new ArrayList<>();
        ArrayDeque<OrgNodeId> todo = new ArrayDeque<>(List.of(company));
        while (!todo.isEmpty()) {
            OrgNodeId n = todo.pop();
            if (!out.contains(n)) {
                out.add(n);
                if (n instanceof UnitId u) {
                    todo.addAll(org.childrenOf(u));
                }
            }
        }
        return out;
    }
}
