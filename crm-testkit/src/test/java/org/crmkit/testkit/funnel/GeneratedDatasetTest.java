package org.crmkit.testkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.UnitId;
import org.crmkit.funnel.FunnelComparison;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.StageWinRate;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The funnel engine on a generated multi-currency dataset with managers in two groups (here,
 * beside the generator, because the funnel module's own tests cannot depend on the testkit).
 */
class GeneratedDatasetTest {
    static DatasetGenerator gen;
    static List<Opportunity> opps;
    static OpportunityColumns columns;
    static FunnelEngine engine;

    @BeforeAll
    static void generate() {
        gen = DatasetGenerator.of(GeneratorConfig.builder().seed(42).opportunities(5_000).managers(40)
                .hierarchy(2, 2, 3).shareOfManagersInTwoGroups(0.3).build());
        opps = gen.opportunities().toList();
        columns = OpportunityColumns.of(opps.stream());
        engine = FunnelEngine.builder().org(gen.orgStructure()).source(columns).rates(gen.exchangeRates())
                .calendar(gen.config().calendar()).clock(Clock.fixed(gen.asOf(), gen.config().zone())).build();
    }

    FunnelQuery.Builder query(OrgNodeId node) {
        Period year = gen.config().calendar().periodOf(PeriodType.YEAR, gen.config().start());
        return FunnelQuery.builder(gen.process()).nodes(node).period(year)
                .reportingCurrency(gen.config().reportingCurrency());
    }

    @Test
    void cohortCountIsTheNumberOfDistinctOpportunitiesOfTheNodesOwnersCreatedInThePeriod() {
        OrgStructure org = gen.orgStructure();
        for (UnitId dep : org.childUnitsOf(UnitId.of("company"))) {
            FunnelQuery q = query(dep).build();
            Set<ManagerId> members = org.membersOf(dep);
            java.time.ZoneId zone = gen.config().zone();
            long expected = opps.stream().filter(o -> members.contains(o.owner()))
                    .filter(o -> q.period().contains(LocalDate.ofInstant(o.createdAt(), zone))).count();
            FunnelResult f = engine.funnel(q);
            assertThat(f.count()).isEqualTo(expected).isPositive();
            FunnelResult children = engine.funnel(q.withNodes(org.childrenOf(dep)));
            assertThat(children.stages()).isEqualTo(f.stages());
        }
    }

    @Test
    void aManagerInTwoGroupsCountsInBothPartsButOnceInTheirCommonAncestor() {
        OrgStructure org = gen.orgStructure();
        boolean overlapSeen = false;
        for (org.crmkit.core.OrgUnit unit : org.units()) {
            if (org.childUnitsOf(unit.id()).isEmpty()) {
                continue;
            }
            FunnelComparison c = engine.compare(query(unit.id()).build());
            long sumOfParts = c.parts().stream().mapToLong(p -> p.funnel().count()).sum();
            assertThat(sumOfParts).isGreaterThanOrEqualTo(c.total().count());
            overlapSeen |= sumOfParts > c.total().count();
        }
        assertThat(overlapSeen).as("some unit has a manager in two of its parts").isTrue();
    }

    @Test
    void columnarStatsEqualTheReferenceAndParallelEqualsSequential() {
        for (FunnelMode mode : FunnelMode.values()) {
            FunnelQuery q = query(UnitId.of("company")).mode(mode).build();
            AggregateQuery aq = engine.aggregateQuery(q).orElseThrow();
            var reference = FunnelReference.aggregate(aq, opps.stream());
            assertThat(columns.withParallelThreshold(0).aggregate(aq)).isEqualTo(reference);
            assertThat(columns.withParallelThreshold(Integer.MAX_VALUE).aggregate(aq)).isEqualTo(reference);
        }
    }

    @Test
    void companyFunnelIsConsistent() {
        FunnelResult f = engine.funnel(query(UnitId.of("company")).build());
        assertThat(f.stage(0).reached()).isEqualTo(f.count()); // every generated deal starts at the first stage
        assertThat(f.winRate()).isBetween(0.0, 1.0);
        assertThat(f.velocityPerDay()).isPositive();
        assertThat(f.stage(0).timeInStage().count()).isPositive();
        List<StageWinRate> rates = engine.stageWinRates(query(UnitId.of("company")).build());
        for (int s = 1; s < rates.size(); s++) {
            // the further a deal got, the likelier it was won
            assertThat(rates.get(s).rate()).isGreaterThanOrEqualTo(rates.get(s - 1).rate());
        }
    }
}
