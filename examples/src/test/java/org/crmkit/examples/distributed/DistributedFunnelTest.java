package org.crmkit.examples.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import java.time.LocalDate;
import java.util.List;
import org.crmkit.core.Dataset;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.UnitId;
import org.crmkit.examples.TrainingCompany;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.OpportunityFilter;
import org.crmkit.core.money.Amounts;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DistributedFunnelTest {
    private static Dataset data;
    private static DistributedFunnel cluster;
    private static FunnelEngine distributed;
    private static FunnelEngine local;

    @BeforeAll
    static void startCluster() {
        data = TrainingCompany.build(42);
        cluster = DistributedFunnel.start(3);
        HazelcastFunnelSource.load(cluster.opportunities(), data.opportunities());
        // partitions still migrating between the members move (and deserialize) entries while
        // the queries run; the "parses nothing per query" count needs a settled cluster
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!cluster.members().get(0).getPartitionService().isClusterSafe() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(cluster.members().get(0).getPartitionService().isClusterSafe()).as("cluster settled").isTrue();
        distributed = cluster.engine(data);
        // one machine answering by the reference definitions, as the members do: a deal changed
        // after a query's instant counts as it was then (the columns of the book as it is would
        // count today's values, and say so)
        org.crmkit.core.memory.InMemoryStorage memory = new org.crmkit.core.memory.InMemoryStorage();
        memory.importDataset(data);
        local = DistributedFunnel.engine(data, org.crmkit.funnel.RepositoryFunnelSource.of(memory.opportunities()));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theOpportunitiesAreSpreadOverEveryMember() {
        assertThat(cluster.members()).hasSize(3);
        long total = 0;
        for (HazelcastInstance m : cluster.members()) {
            long owned = m.getMap(DistributedFunnel.MAP).getLocalMapStats().getOwnedEntryCount();
            assertThat(owned).isPositive();
            total += owned;
        }
        assertThat(total).isEqualTo(data.opportunities().size());
    }

    @Test
    void clusterFunnelsEqualTheSingleMachineFunnelsWithFiltersAndParseNothingPerQuery() {
        Period year = Period.inclusive(TrainingCompany.START, TrainingCompany.START.plusYears(1).minusDays(1));
        Period october = TrainingCompany.CALENDAR.periodOf(PeriodType.MONTH, LocalDate.of(2026, 10, 5));
        FunnelQuery base = FunnelQuery.builder(data.processes().get(0)).nodes(TrainingCompany.company())
                .period(year).reportingCurrency("EUR").build();
        java.util.function.Predicate<org.crmkit.core.Opportunity> large =
                (java.util.function.Predicate<org.crmkit.core.Opportunity> & java.io.Serializable)
                        o -> o.amount().map(a -> a.getNumber().doubleValue() > 20_000).orElse(false);
        List<FunnelQuery> queries = List.of(
                base,
                base.withPolicy(CountingPolicy.STRICT),
                base.withNodes(List.of(UnitId.of("corporate"))).toBuilder().mode(FunnelMode.ACTIVITY)
                        .period(october).build(),
                base.withNodes(List.of(ManagerId.of("eva"))).toBuilder().mode(FunnelMode.SNAPSHOT).period(null)
                        .asOf(LocalDate.of(2026, 6, 30).atStartOfDay(TrainingCompany.ZONE).toInstant()).build(),
                base.toBuilder().reportingCurrency("CHF").build(),
                base.toBuilder().filter(OpportunityFilter.currencies(Set.of(Amounts.currency("CHF")))).build(),
                base.toBuilder().filter(OpportunityFilter.matching(large)).policy(CountingPolicy.STRICT).build());
        long readsBefore = StoredOpportunity.reads();
        for (FunnelQuery q : queries) {
            assertThat(distributed.aggregates(q)).as("stats of %s", q).isEqualTo(local.aggregates(q));
            assertThat(distributed.funnel(q)).as("funnel of %s", q).isEqualTo(local.funnel(q));
            assertThat(distributed.winLoss(q)).as("win/loss of %s", q).isEqualTo(local.winLoss(q));
            assertThat(distributed.drillDown(q, FunnelMeasure.WON, 0, 0, 1_000))
                    .isEqualTo(local.drillDown(q, FunnelMeasure.WON, 0, 0, 1_000));
        }
        assertThat(StoredOpportunity.reads()).as("opportunities parsed while answering").isEqualTo(readsBefore);
        assertThat(local.funnel(base).count()).isPositive();
        assertThat(local.funnel(queries.get(5)).count()).isPositive().isLessThan(local.funnel(base).count());
        assertThat(local.funnel(queries.get(6)).count()).isPositive().isLessThan(local.funnel(base).count());
    }

    @Test
    void aPredicateThatCannotTravelIsRefusedWithTheFieldNamed() {
        FunnelQuery q = FunnelQuery.builder(data.processes().get(0)).nodes(TrainingCompany.company())
                .period(Period.inclusive(TrainingCompany.START, TrainingCompany.START.plusYears(1).minusDays(1)))
                .reportingCurrency("EUR").filter(OpportunityFilter.matching(o -> true)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> distributed.funnel(q))
                .isInstanceOf(org.crmkit.core.ValidationException.class).hasMessageContaining("predicate");
    }
}
